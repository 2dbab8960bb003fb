import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'ticket-window.lock';

/**
 * Boot times from the wall clock closer than this are taken for the same boot. Generous, because
 * a kiosk's clock is often corrected by NTP after boot; Linux has an exact boot id instead.
 */
const SAME_BOOT_SLACK_MS = 15 * 60_000;

interface LockOwner {
  pid: number;
  host: string;
  /** Which boot of the machine the owner ran in: a pid from an earlier boot says nothing now. */
  boot: string;
  startedAt: number;
  /**
   * When the owner process itself started, as the kernel counts it (Linux: /proc/<pid>/stat
   * starttime), or '' where that cannot be read. A live pid with another start time is a reused
   * pid: after a crash, the kiosk's next process may well get the dead owner's number.
   */
  procStart: string;
  nonce: string;
}

/** A second window (or a tool) already runs on this data folder. */
export class DataLockedError extends Error {
  readonly code = 'DATA_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by another Ticket Window process (pid ${ownerPid}); ` +
        `close it first — two processes on one folder would send the same queue twice`,
    );
    this.name = 'DataLockedError';
  }
}

export interface DataLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/**
 * Takes the data folder for this process: one lock file holding the owner's pid. Two cores on
 * one folder would each run a worker over the same outbox, and each would send the same item.
 *
 * The file appears atomically with its content (written aside, then hard-linked into place), so a
 * lock file that cannot be read is damage, not a write in progress. A lock whose owner is dead —
 * a pid that no longer exists, or a pid from before the last reboot — is stale and taken over:
 * a SIGKILLed or power-cut kiosk must start again without anyone deleting files.
 */
export function acquireDataLock(
  dataDir: string,
  options: { isAlive?: (pid: number) => boolean; startOf?: (pid: number) => string } = {},
): DataLock {
  const isAlive = options.isAlive ?? pidIsAlive;
  const startOf = options.startOf ?? processStartOf;
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    boot: bootIdentity(),
    startedAt: Date.now(),
    procStart: processStartOf(process.pid),
    nonce: randomBytes(8).toString('hex'),
  };
  const content = `${JSON.stringify(me)}\n`;

  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (tryCreate(path, content)) return ownedLock(path, content);
    const seen = readLock(path);
    if (seen === null) continue; // Vanished between our try and the read: try again.
    const owner = parseOwner(seen);
    if (owner && !isStale(owner, me, isAlive, startOf)) throw new DataLockedError(dataDir, owner.pid);
    removeIfUnchanged(path, seen);
  }
  throw new Error(`could not take the lock on ${dataDir}: it keeps changing (another process starting?)`);
}

function ownedLock(path: string, content: string): DataLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (readLock(path) === content) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      }
    },
  };
}

/** Creates the lock file with its content in one step; false when a lock file exists. */
function tryCreate(path: string, content: string): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeDurably(aside, content);
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // File systems without hard links: exclusive create, then write (a tiny window of an empty file).
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return createExclusive(path, content);
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // Nothing to clean.
    }
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function writeDurably(path: string, content: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null;
    return {
      pid: value.pid,
      host: typeof value.host === 'string' ? value.host : '',
      boot: typeof value.boot === 'string' ? value.boot : '',
      startedAt: typeof value.startedAt === 'number' ? value.startedAt : 0,
      procStart: typeof value.procStart === 'string' ? value.procStart : '',
      nonce: typeof value.nonce === 'string' ? value.nonce : '',
    };
  } catch {
    return null;
  }
}

function isStale(owner: LockOwner, me: LockOwner, isAlive: (pid: number) => boolean, startOf: (pid: number) => string): boolean {
  // Another machine (a shared folder): its pid means nothing here, and it may well be alive.
  if (owner.host !== me.host) return false;
  if (!isAlive(owner.pid)) return true;
  // A live pid from another boot is a reused pid, not our owner (a kiosk that lost power).
  if (owner.boot !== '' && me.boot !== '' && !sameBoot(owner.boot, me.boot)) return true;
  // The same boot, the same number, another process: the owner died and its pid was reused.
  const now = owner.procStart === '' ? '' : startOf(owner.pid);
  return now !== '' && now !== owner.procStart;
}

/**
 * The kernel's start time of a process (field 22 of /proc/<pid>/stat, after the command name,
 * which may itself hold spaces and parentheses). '' where there is no /proc (Windows): there the
 * lock falls back to pid and boot, and a reused pid within one boot still needs the old owner
 * gone, which Windows makes rare by recycling pids late.
 */
export function processStartOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

/**
 * Takes a stale lock away only if it is still the very file we judged: if someone else replaced
 * it meanwhile (a fresh lock), that file goes back and the caller looks again.
 */
function removeIfUnchanged(path: string, judged: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const taken = readLock(aside);
  if (taken !== judged) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone took the folder meanwhile; their lock stands and ours is the loser's copy.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Nothing to clean.
  }
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bootIdentity(): string {
  try {
    return `id:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}`;
  } catch {
    return `at:${Date.now() - Math.round(uptime() * 1000)}`;
  }
}

function sameBoot(a: string, b: string): boolean {
  if (a.startsWith('at:') && b.startsWith('at:')) return Math.abs(Number(a.slice(3)) - Number(b.slice(3))) <= SAME_BOOT_SLACK_MS;
  return a === b;
}
