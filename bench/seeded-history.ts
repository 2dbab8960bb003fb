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
 * only if it is the same seed, on the same schema, and whole; seeding it again takes minutes.
 */
export function seededHistoryFile(): { file: string; seeded_s: number | null } {
  const expected = JSON.stringify({ rows: HISTORY_ROWS, seed: SEED_VERSION, schema: migrations.length });
  if (existsSync(SEEDED) && existsSync(MARKER) && readFileSync(MARKER, 'utf8') === expected) {
    const db = openDatabase(SEEDED, { readonly: true });
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number };
    const version = db.pragma('user_version', { simple: true });
    db.close();
    if (n === HISTORY_ROWS && version === migrations.length) return { file: SEEDED, seeded_s: null };
  }
  mkdirSync(OUT, { recursive: true });
  const { seconds } = seedHistory(SEEDED, HISTORY_ROWS);
  writeFileSync(MARKER, expected);
  return { file: SEEDED, seeded_s: seconds };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { file, seeded_s } = seededHistoryFile();
  console.log(`${file}: ${seeded_s === null ? 'cached' : `seeded in ${seeded_s.toFixed(1)} s`}`);
}
