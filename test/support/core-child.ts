import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { CoreChild } from '../../electron/main/core-process';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = resolve(ROOT, 'electron/host/index.ts');

export interface ForkedCore {
  child: CoreChild;
  process: ChildProcess;
  stderr(): string;
}

/**
 * The core's real process entry under plain Node, as Electron's utilityProcess would run it:
 * `child_process.fork` gives it the same message protocol (`process.send` instead of
 * `process.parentPort`). `--import tsx` keeps it one process, so a SIGKILL hits the core itself.
 */
export function forkCore(env: NodeJS.ProcessEnv): ForkedCore {
  const proc = fork(ENTRY, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  return {
    process: proc,
    stderr: () => stderr,
    child: {
      send: (message) => {
        if (proc.connected) proc.send(message);
      },
      onMessage: (listener) => proc.on('message', listener),
      onExit: (listener) => proc.once('exit', (code) => listener(code)),
      kill: () => void proc.kill('SIGKILL'),
    },
  };
}
