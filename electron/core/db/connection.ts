import Database from 'better-sqlite3';
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
