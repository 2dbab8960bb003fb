import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './temp';

/**
 * The migration tests' database: a new SQLite file with foreign keys on before each test (a
 * migration must hold under them, as the app opens it), closed and removed after it. `use` gets
 * each test's handle.
 */
export function freshDatabasePerTest(use: (db: Database.Database) => void): void {
  let dir: ReturnType<typeof tempDir>;
  let db: Database.Database;
  beforeEach(() => {
    dir = tempDir();
    db = new Database(join(dir.path, 'migrating.db'));
    db.pragma('foreign_keys = ON');
    use(db);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });
}
