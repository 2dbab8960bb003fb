import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../../electron/core/db/checkpointer';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'c.db'));
});
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the background checkpointer', () => {
  it('keeps the WAL small from its own thread while the main connection no longer checkpoints at 1,000 pages', async () => {
    const file = join(dir.path, 'c.db');
    const checkpointer = startCheckpointer(db, file);
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true }), 'only a safety net inline').toBe(10_000);
      db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
      const insert = db.prepare('INSERT INTO filler (body) VALUES (randomblob(4000))');
      const batch = db.transaction(() => {
        for (let i = 0; i < 500; i += 1) insert.run();
      });
      let largest = 0;
      // 8 × 2 MB: with neither checkpointer (inline only past 40 MB) the WAL would pass 16 MB.
      for (let round = 0; round < 8; round += 1) {
        batch();
        largest = Math.max(largest, statSync(`${file}-wal`).size);
        await sleep(700);
      }
      expect(largest, 'the WAL restarted after each background checkpoint').toBeLessThan(8 * 1024 * 1024);
    } finally {
      await checkpointer.stop();
    }
    db.close();
    const reopened = openDatabase(file);
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM filler').get(), 'every committed row is there').toEqual({ n: 4000 });
    reopened.close();
  });
});
