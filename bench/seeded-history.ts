import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../electron/core/db/connection';
import { migrations } from '../electron/core/db/migrations';
import { seedHistory, SEED_VERSION } from '../scripts/seed-history';

export const HISTORY_ROWS = 1_000_000;
const OUT = resolve(import.meta.dirname, 'out');
const SEEDED = join(OUT, 'history-1m.db');
const MARKER = join(OUT, 'history-1m.json');

/**
 * The 1,000,000-scan history the history and start-up benches share. The cached file is reused
 * if it is the same seed and whole; one from an older schema is migrated the way the app
 * upgrades a window's file (seeding it again takes minutes).
 */
export function seededHistoryFile(): { file: string; seeded_s: number | null } {
  const marker = (schema: number) => JSON.stringify({ rows: HISTORY_ROWS, seed: SEED_VERSION, schema });
  const found = existsSync(SEEDED) && existsSync(MARKER) ? readFileSync(MARKER, 'utf8') : null;
  const schema = migrations.findIndex((_, i) => found === marker(i + 1)) + 1;
  if (schema > 0) {
    const db = openDatabase(SEEDED);
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number };
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    if (n === HISTORY_ROWS) {
      writeFileSync(MARKER, marker(migrations.length));
      return { file: SEEDED, seeded_s: null };
    }
  }
  mkdirSync(OUT, { recursive: true });
  const { seconds } = seedHistory(SEEDED, HISTORY_ROWS);
  writeFileSync(MARKER, marker(migrations.length));
  return { file: SEEDED, seeded_s: seconds };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { file, seeded_s } = seededHistoryFile();
  console.log(`${file}: ${seeded_s === null ? 'cached' : `seeded in ${seeded_s.toFixed(1)} s`}`);
}
