import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, DATABASE_FILE } from '../../../electron/core/app';
import { openAppDatabase } from '../../../electron/core/db/app-database';
import { openDatabase } from '../../../electron/core/db/connection';
import { damageMarkOf } from '../../../electron/core/db/damage';
import { migrate, NewerSchemaError, type Migration } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('tw-newer-schema-');
});
afterEach(() => dir.remove());

/** What the next version's migration might do: a new column in an old table, and a new table. */
const nextVersion: Migration = {
  version: migrations.length + 1,
  name: 'from_the_next_version',
  up: (db) => {
    db.exec('ALTER TABLE settings ADD COLUMN scope TEXT');
    db.exec('CREATE TABLE next_version_things (id INTEGER PRIMARY KEY, what TEXT NOT NULL)');
    db.prepare('INSERT INTO next_version_things (what) VALUES (?)').run('written by the newer app');
  },
};

/** The database as an update left it: this version's schema, then the next version's migration on top. */
function migratedByTheNextVersion(file: string): void {
  const db = openDatabase(file);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('kept', '"across the rollback"');
  migrate(db, [...migrations, nextVersion]);
  db.close();
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('rolling back to an older app on a database a newer one migrated', () => {
  it('the older app refuses it with a message in both languages, and leaves the file exactly as it was', () => {
    const file = join(dir.path, DATABASE_FILE);
    migratedByTheNextVersion(file);
    const before = digest(file);

    let refusal: unknown;
    try {
      openAppDatabase(file);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(NewerSchemaError);
    expect(refusal).toMatchObject({ found: migrations.length + 1, known: migrations.length });
    const message = (refusal as Error).message;
    expect(message).toMatch(/较新版本/);
    expect(message).toMatch(/newer than this app knows/);

    // Not taken for damage: nothing repaired, moved aside or marked.
    expect(digest(file)).toBe(before);
    expect(existsSync(damageMarkOf(file))).toBe(false);
    expect(readdirSync(dir.path).filter((name) => /\.(corrupt|rebuilt|salvage)-/.test(name))).toEqual([]);

    // The newer app opens it again with all its data.
    const newer = new Database(file);
    expect(migrate(newer, [...migrations, nextVersion])).toBe(migrations.length + 1);
    expect(newer.prepare('SELECT what FROM next_version_things').pluck().all()).toEqual(['written by the newer app']);
    expect(newer.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('kept')).toBe('"across the rollback"');
    newer.close();
  });

  it('the older core does not start on it (the failure main sees), and the file is unchanged', async () => {
    const file = join(dir.path, DATABASE_FILE);
    migratedByTheNextVersion(file);
    const before = digest(file);
    await expect(createCoreWithParts({ connectPlatform, dataDir: dir.path, env: {}, secretCodec: plainCodec })).rejects.toThrow(
      NewerSchemaError,
    );
    expect(digest(file)).toBe(before);
  });
});
