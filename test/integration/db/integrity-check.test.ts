import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/connection';
import { startIntegrityCheck } from '../../../electron/core/db/integrity-check';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** A file whose quick_check takes a while: 60,000 rows with an index over random text. */
function biggishFile(): string {
  const file = join(dir.path, 'check.db');
  const db = openDatabase(file);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE INDEX filler_body ON filler (body)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (hex(randomblob(40)))');
  db.transaction(() => {
    for (let i = 0; i < 60_000; i += 1) insert.run();
  })();
  db.close();
  return file;
}

describe('the background integrity check when the app closes', () => {
  it('lets a running check finish instead of ending its thread inside a SQLite call, and keeps its finding', async () => {
    const check = startIntegrityCheck(biggishFile());
    // Closed at once, as a test's core or a quick quit does: the check is mid-way or not yet begun.
    expect(await check.stop()).toBe('finished');
    expect(await check.done).toBeNull();
  });

  it('cuts a check that outlasts the grace short, and the process goes on', async () => {
    const check = startIntegrityCheck(biggishFile(), 0);
    expect(await check.stop()).toBe('cut');
    expect(await check.done).toBeNull();
  });
});
