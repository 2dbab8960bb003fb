import Database from 'better-sqlite3';
import { existsSync, linkSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { log } from '../log';
import { openDatabase, type Db } from './connection';
import { describeError, isCorruptionError, quickCheck } from './damage';
import type { DatabaseRecovery } from './recovery-log';
import { openForSalvage, removeScratch, salvageInto } from './salvage';
import { syncFolder } from '../durable-fs';

/**
 * Repairs a damaged database file, losing as little as it can, in this order:
 * 1. REINDEX in place: a damaged index is rebuilt from its table, nothing is lost or moved.
 * 2. VACUUM INTO a new file: every table is read whole into a new file (indexes built afresh).
 * 3. Salvage: a new file gets every row that can still be read, table by table, row by row.
 * (SQLite's .recover needs the sqlite_dbpage table, which the SQLite in better-sqlite3 lacks.)
 * In 2 and 3 the damaged file is kept beside the new one as `<file>.corrupt-<time>`, never deleted.
 */
export function recoverDatabase(file: string, reason: string, at: number): { db: Db; recovery: DatabaseRecovery } {
  if (reindexInPlace(file)) {
    log.warn(`[db] ${file} was damaged (${reason}); its indexes were rebuilt in place, nothing lost`);
    return { db: openDatabase(file), recovery: { outcome: 'reindexed', reason, movedTo: null, carried: {} } };
  }
  const stamp = stampOf(at);
  const rebuilt = `${file}.rebuilt-${stamp}`;
  if (vacuumInto(file, rebuilt)) {
    const movedTo = replaceKeepingDamaged(file, rebuilt, stamp);
    log.warn(`[db] ${file} was damaged (${reason}); rebuilt whole, the damaged file is kept at ${movedTo}`);
    return { db: openDatabase(file), recovery: { outcome: 'rebuilt', reason, movedTo, carried: {} } };
  }
  const salvaged = `${file}.salvage-${stamp}`;
  const scratch = `${file}.salvage-source-${stamp}`;
  removeScratch(salvaged);
  const target = openDatabase(salvaged);
  let carried;
  try {
    const { source, patched } = openForSalvage(file, scratch);
    try {
      carried = salvageInto(source, target);
    } finally {
      source.close();
      if (patched) removeScratch(scratch);
    }
    closeWhole(target);
  } catch (error) {
    target.close();
    removeScratch(salvaged);
    throw error;
  }
  const movedTo = replaceKeepingDamaged(file, salvaged, stamp);
  log.warn(
    `[db] ${file} was damaged (${reason}); a new file carries what could be read, the damaged file is kept at ${movedTo}`,
    carried,
  );
  return { db: openDatabase(file), recovery: { outcome: 'salvaged', reason, movedTo, carried } };
}

function reindexInPlace(file: string): boolean {
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.exec('REINDEX');
    return quickCheck(db) === null;
  } catch (error) {
    if (isCorruptionError(error)) return false;
    throw error;
  } finally {
    db?.close();
  }
}

function vacuumInto(file: string, rebuilt: string): boolean {
  removeScratch(rebuilt);
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.prepare('VACUUM INTO ?').run(rebuilt);
    db.close();
    db = new Database(rebuilt, { fileMustExist: true });
    if (quickCheck(db) !== null) throw Object.assign(new Error('the rebuilt file is damaged too'), { code: 'SQLITE_CORRUPT' });
    closeWhole(db);
    db = undefined;
    return true;
  } catch (error) {
    db?.close();
    removeScratch(rebuilt);
    if (isCorruptionError(error)) {
      log.warn(`[db] could not rebuild ${file} whole (${describeError(error)}); salvaging row by row`);
      return false;
    }
    throw error;
  }
}

/** A new file handed over in rollback mode, so no -wal of its own must travel with it. */
function closeWhole(db: Db): void {
  db.pragma('journal_mode = DELETE');
  db.close();
}

/**
 * Puts the new file in the damaged one's place. The damaged file is first linked to its kept
 * name (no copy, and never a moment with no database at `file`), its -wal and -shm move along
 * with it (they must never meet the new file), then the new file replaces it in one rename.
 */
function replaceKeepingDamaged(file: string, replacement: string, stamp: string): string {
  let kept = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(kept); n += 1) kept = `${file}.corrupt-${stamp}-${n}`;
  linkSync(file, kept);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, kept + suffix);
  }
  renameSync(replacement, file);
  syncFolder(dirname(file));
  return kept;
}

const stampOf = (at: number): string => new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
