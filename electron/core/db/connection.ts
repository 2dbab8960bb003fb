import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens the app's database the one way the app may use it.
 * - WAL lets the supervisor screens read while the scan path writes.
 * - synchronous=FULL: an answer shown to the staff ("verified", "accepted offline") must survive
 *   a pulled plug, so every commit is fsynced. Do not trade this for speed.
 * - busy_timeout covers a second connection (benchmarks, tools) holding the write lock briefly.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, migrations);
    return db;
  } catch (error) {
    // A handle left open would keep the file locked (on Windows, unmovable) for the caller.
    db.close();
    throw error;
  }
}

/** The app's database could not be read and was moved aside; a fresh one took its place. */
export interface DatabaseRecovery {
  /** Where the damaged file now is; its -wal and -shm (if any) sit next to it with those suffixes. */
  movedTo: string;
  reason: string;
}

const CORRUPTION_CODES: ReadonlySet<string> = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && [...CORRUPTION_CODES].some((c) => code === c || code.startsWith(`${c}_`));
}

/**
 * Opens the app's own database at start-up. A file SQLite cannot read (garbage over the header,
 * cut short by a failing disk) would otherwise stop the window for good, or fail mid-shift at the
 * first page it touches. So the file is checked at open (quick_check reads every page once), and
 * a damaged one is moved aside — never deleted: it may hold scans someone must recover by hand —
 * to `<file>.corrupt-<timestamp>` with its -wal and -shm, and a fresh database starts. The caller
 * must say so to the staff and the supervisor. Any other failure (permissions, a newer schema,
 * a full disk) is thrown as it is: moving a healthy file aside would hide its history.
 */
export function openAppDatabase(file: string, options: { now?: () => number } = {}): { db: Db; recovered?: DatabaseRecovery } {
  let reason: string;
  try {
    const db = openDatabase(file);
    const problem = quickCheck(db);
    if (problem === null) return { db };
    db.close();
    reason = `integrity check failed: ${problem}`;
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    reason = `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  const movedTo = moveAside(file, (options.now ?? Date.now)());
  console.error(`[db] ${file} is damaged (${reason}); moved to ${movedTo}, starting a fresh database`);
  return { db: openDatabase(file), recovered: { movedTo, reason } };
}

function quickCheck(db: Db): string | null {
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length === 0 ? null : problems.join('; ').slice(0, 500);
  } catch (error) {
    if (isCorruptionError(error)) return String((error as Error).message);
    throw error;
  }
}

function moveAside(file: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(target); n += 1) target = `${file}.corrupt-${stamp}-${n}`;
  // The main file last: if we die halfway, the next start still finds it damaged and finishes.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  renameSync(file, target);
  return target;
}
