import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../electron/core/db/connection';
import { migrations } from '../electron/core/db/migrations';
import { seedHistory, SEED_VERSION, SPAN_MS } from '../scripts/seed-history';

export const HISTORY_ROWS = 1_000_000;
const OUT = resolve(import.meta.dirname, 'out');

/** bench/out/history-1m.db for the shared million; history-10k.db, history-5m.db… for the growth series. */
function named(rows: number): string {
  const label = rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : rows % 1000 === 0 ? `${rows / 1000}k` : String(rows);
  return join(OUT, `history-${label}`);
}

/**
 * A seeded history of `rows` scans (the 1,000,000 the history and start-up benches share, or a
 * size of the growth series), all at the same density: the span grows with the rows, so a day
 * holds ~5,600 scans at every size and only the history's length differs. The cached file is
 * reused if it is the same seed and whole; one from an older schema is migrated the way the app
 * upgrades a window's file (seeding a million again takes a minute or more).
 */
export function seededHistoryFile(rows = HISTORY_ROWS): { file: string; seeded_s: number | null } {
  const base = named(rows);
  const seeded = `${base}.db`;
  const markerFile = `${base}.json`;
  const marker = (schema: number) => JSON.stringify({ rows, seed: SEED_VERSION, schema });
  const found = existsSync(seeded) && existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : null;
  const schema = migrations.findIndex((_, i) => found === marker(i + 1)) + 1;
  if (schema > 0) {
    const db = openDatabase(seeded);
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number };
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    if (n === rows) {
      writeFileSync(markerFile, marker(migrations.length));
      return { file: seeded, seeded_s: null };
    }
  }
  mkdirSync(OUT, { recursive: true });
  rmSync(markerFile, { force: true });
  const { seconds } = seedHistory(seeded, rows, Date.now(), (SPAN_MS * rows) / HISTORY_ROWS);
  writeFileSync(markerFile, marker(migrations.length));
  return { file: seeded, seeded_s: seconds };
}

/** Deletes a seeded file of the growth series (and its WAL and marker). */
export function removeSeededHistory(rows: number): void {
  const base = named(rows);
  for (const suffix of ['.db', '.db-wal', '.db-shm', '.json']) rmSync(`${base}${suffix}`, { force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const rows = Number(process.argv[2] ?? HISTORY_ROWS);
  const { file, seeded_s } = seededHistoryFile(rows);
  console.log(`${file}: ${seeded_s === null ? 'cached' : `seeded in ${seeded_s.toFixed(1)} s`}`);
}
