import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataLockedError, LOCK_FILE, processStartOf } from '../../../electron/core/data-lock';
import { tempDir } from '../../support/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A live process that is not the lock's owner: what a reused pid looks like after a crash. */
function liveStranger(): number {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child.pid!;
}

/** A lock file as a process on this machine and boot would have left it. */
function lockOf(dir: string, pid: number, procStart: string): void {
  const mine = acquireDataLock(dir);
  const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
  mine.release();
  writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ ...owner, pid, procStart })}\n`);
}

describe('the data-folder lock after a crash (defects issue, item 10)', () => {
  it.runIf(process.platform === 'linux')('takes over a lock whose pid now belongs to another process', () => {
    const dir = tempDir('tw-lock-');
    cleanups.push(() => dir.remove());
    const pid = liveStranger();
    // The dead owner started at another time than the process now holding its number.
    lockOf(dir.path, pid, String(Number(processStartOf(pid)) - 1000));
    const lock = acquireDataLock(dir.path);
    expect(JSON.parse(readFileSync(join(dir.path, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.runIf(process.platform === 'linux')('still refuses while the very owner process lives', () => {
    const dir = tempDir('tw-lock-');
    cleanups.push(() => dir.remove());
    const pid = liveStranger();
    lockOf(dir.path, pid, processStartOf(pid));
    expect(() => acquireDataLock(dir.path)).toThrow(DataLockedError);
  });
});
