import { copyFileSync, statfsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from '../electron/core/app';
import { openDatabase, type Db } from '../electron/core/db/connection';
import { PRUNE_PICK_SQL, pruneHistory } from '../electron/core/history/retention';
import { SettingsStore } from '../electron/core/settings/store';
import { DAY_FIGURES_SQL, DayViewBook } from '../electron/core/supervisor/day-view';
import { buildQuery, countMatches, HistoryRepository } from '../electron/core/supervisor/history-repository';
import type { HistoryFilter } from '../shared/domain/history';
import { businessDate } from '../shared/time';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { HISTORY_ROWS, removeSeededHistory, seededHistoryFile } from './seeded-history';
import { startReady } from './start-ready.bench';
import { percentile, type Figures } from './summary';

/**
 * Cost as the history grows (issue 14 item 7): the same questions asked of histories of 10k,
 * 100k, 1M and 5M scans (quick: up to 1M) at the same density (~5,600 scans a day, so a day's
 * work is the same at every size and only the length of the history differs), through the
 * product's own code: the history page, search (code prefix, order-id prefix, whole order id, a
 * prefix shared by a tenth of the scans), the day view, retention of the oldest day, and start to
 * scan-ready. All sizes are open at once and each round asks every size in turn, so a busy
 * machine slows them alike; the figure is the growth per tenfold of the history.
 */
const SIZES = [10_000, 100_000, HISTORY_ROWS, 5_000_000];
const PAGE = 50;
const DAY = 86_400_000;
/** Per tenfold of the history: log n grows 1.25× from 10k to 100k and less after; 1.5 leaves room for noise. */
const FASTER_THAN_LOG = 1.5;

interface Operation {
  name: string;
  rounds: (quick: boolean) => number;
  /** Readies the operation on one size; the returned function does the i-th ask. */
  on(db: Db, dataFile: string): (i: number) => unknown;
}

/** The newest and oldest scan: every question is placed relative to them, the same at every size. */
function bounds(db: Db): { lo: number; hi: number } {
  return db.prepare('SELECT MIN(scanned_at) AS lo, MAX(scanned_at) AS hi FROM scans').get() as { lo: number; hi: number };
}

/** Scans spread over the whole history, as a supervisor would look them up. */
function sample(db: Db, count: number): { kind: string; display: string; order_id: string | null }[] {
  const n = db.prepare('SELECT MAX(id) FROM scans').pluck().get() as number;
  const one = db.prepare('SELECT credential_kind AS kind, credential_display AS display, order_id FROM scans WHERE id = ?');
  return Array.from({ length: count }, (_, i) => one.get(1 + Math.floor(((i * 7919) % count) * (n / count))) as never);
}

function historyFilters(db: Db): HistoryFilter[] {
  const { lo, hi } = bounds(db);
  const middle = Math.floor((lo + hi) / 2);
  return [
    { from: hi - DAY, to: hi + 1, outcome: 'verified' },
    { from: hi - 7 * DAY, to: hi + 1, staff: '王五' },
    { from: middle - DAY, to: middle, project: 'cable' },
    { from: hi - 30 * DAY, to: hi + 1, outcome: 'needs_attention' },
  ];
}

const search = (pick: (s: { kind: string; display: string; order_id: string | null }) => string | null) => ({
  rounds: (quick: boolean) => (quick ? 100 : 300),
  on(db: Db) {
    const history = new HistoryRepository(db);
    const terms = sample(db, 200)
      .map(pick)
      .filter((t): t is string => t !== null);
    return (i: number) => history.page({ search: terms[i % terms.length]! }, undefined, PAGE);
  },
});

const operations: Operation[] = [
  {
    name: 'history_page',
    rounds: (quick) => (quick ? 100 : 300),
    on(db) {
      const history = new HistoryRepository(db);
      const filters = historyFilters(db);
      return (i) => history.page(filters[i % filters.length]!, undefined, PAGE);
    },
  },
  { name: 'search_code_prefix', ...search((s) => (s.kind === 'code' ? s.display.slice(0, 6) : null)) },
  { name: 'search_order_prefix', ...search((s) => s.order_id?.slice(0, 9) ?? null) },
  { name: 'search_order_id', ...search((s) => s.order_id) },
  // Masked ID numbers of one region (110105…): a tenth of all scans share the prefix.
  { name: 'search_broad_prefix', ...search((s) => (s.kind === 'id_card' ? s.display.slice(0, 6) : null)) },
  {
    name: 'day_view',
    rounds: (quick) => (quick ? 30 : 100),
    on(db) {
      const book = new DayViewBook(db);
      // The last whole Beijing day: ~5,600 scans at every size.
      const date = businessDate(bounds(db).hi - DAY);
      return () => book.of(date);
    },
  },
  {
    // The daily retention run at a site whose oldest day has just passed the retention period:
    // that day's ~5,600 scans, their outbox rows and attempts deleted in the app's batches. Rolled
    // back afterwards so every round (and the next run) finds the same file; the commits' fsyncs
    // are what a rollback leaves out, a fixed cost per batch whatever the history's length.
    name: 'retention_prune_day',
    rounds: (quick) => (quick ? 4 : 8),
    on(db) {
      const retentionDays = 365;
      const now = bounds(db).lo + DAY + retentionDays * DAY;
      return async () => {
        db.exec('BEGIN');
        try {
          const { scans } = await pruneHistory(db, retentionDays, now);
          if (scans === 0) throw new Error('retention pruned nothing');
        } finally {
          db.exec('ROLLBACK');
        }
      };
    },
  },
  {
    // A real start on a copy of the file (a start writes: the first scan, the queue's requeue).
    // Its retention period covers the whole history (900 days at 5M), as at a site that keeps
    // it: a start slower than 30 s would otherwise begin pruning years of the copy.
    name: 'start_ready',
    rounds: (quick) => (quick ? 3 : 5),
    on(_db, dataFile) {
      const dir = tempDir('tw-bench-growth-start-');
      const copy = join(dir.path, DATABASE_FILE);
      copyFileSync(dataFile, copy);
      const db = openDatabase(copy);
      new SettingsStore(db).update({ historyRetentionDays: 3650 });
      db.close();
      let first = true;
      const ask = async () => {
        // The first start of a copied file settles its WAL and marks; then warm starts.
        if (first) await startReady(dir.path);
        first = false;
        return startReady(dir.path);
      };
      return Object.assign(ask, { remove: dir.remove });
    },
  },
];

/** EXPLAIN QUERY PLAN of each query at the largest size, and whether any step reads a whole history table. */
function plans(db: Db): Figures {
  const { lo, hi } = bounds(db);
  const filters = historyFilters(db);
  const queries: Record<string, { sql: string; params: Record<string, string | number> }> = {
    ...Object.fromEntries(filters.map((f, i) => [`history_page_${i}`, buildQuery(f, undefined, PAGE)])),
    search_ranges: buildQuery({ search: '8123' }, undefined, PAGE),
    search_walk: buildQuery({ search: '110105' }, undefined, PAGE, undefined, 800),
    search_count: { sql: countMatches(5600), params: { prefix: '110105' } },
    day_view: { sql: DAY_FIGURES_SQL, params: { firstHour: Math.floor((hi - DAY) / 3_600_000) } },
    retention_pick: { sql: PRUNE_PICK_SQL, params: { cutoff: lo + DAY, limit: 2000 } },
  };
  const figures: Figures = {};
  const wholeTable = /^SCAN (s|o|scans|outbox|attempts)\b(?! USING (COVERING )?INDEX)/;
  for (const [name, { sql, params }] of Object.entries(queries)) {
    const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
    figures[`growth_plan_${name}`] = steps.join(' | ');
    figures[`growth_plan_${name}_reads_whole_table`] = steps.some((s) => wholeTable.test(s));
  }
  return figures;
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);

export async function run(ctx: BenchContext): Promise<Figures> {
  const sizes = ctx.quick ? SIZES.slice(0, 3) : SIZES;
  const started = performance.now();
  const figures: Figures = { growth_sizes: sizes.map(label).join(','), growth_load_1min_at_start: loadavg()[0]! };
  // About 730 bytes a scan with its outbox row, attempts and indexes; twice that for a start's copy.
  const needed = sizes.reduce((sum, n) => sum + n * 730 * 2, 0);
  for (const dir of [import.meta.dirname, tmpdir()]) {
    const { bavail, bsize } = statfsSync(dir);
    if (bavail * bsize < needed) throw new Error(`growth needs ~${(needed / 1e9).toFixed(1)} GB free in ${dir}`);
  }
  const seeded = sizes.map((n) => {
    const { file, seeded_s } = seededHistoryFile(n);
    figures[`growth_seed_${label(n)}_s`] = seeded_s ?? 'cached';
    return { n, file, db: openDatabase(file) };
  });
  try {
    for (const op of operations) {
      const asks = seeded.map((s) => op.on(s.db, s.file));
      const times = seeded.map(() => [] as number[]);
      try {
        const rounds = op.rounds(ctx.quick);
        for (let i = 0; i < rounds; i += 1) {
          // Each round asks every size, starting from a different one each time.
          for (let k = 0; k < seeded.length; k += 1) {
            const j = (i + k) % seeded.length;
            const t = performance.now();
            await asks[j]!(i);
            times[j]!.push(performance.now() - t);
          }
        }
      } finally {
        for (const ask of asks) (ask as { remove?: () => void }).remove?.();
      }
      let worst = 0;
      seeded.forEach((s, j) => {
        figures[`growth_${op.name}_${label(s.n)}_p50_ms`] = percentile(times[j]!, 50);
        figures[`growth_${op.name}_${label(s.n)}_p99_ms`] = percentile(times[j]!, 99);
        if (j === 0) return;
        const prev = seeded[j - 1]!;
        // t(n₂)/t(n₁) brought to one tenfold: (ratio)^(1 / log10(n₂/n₁)).
        const perTenfold = (percentile(times[j]!, 50) / percentile(times[j - 1]!, 50)) ** (1 / Math.log10(s.n / prev.n));
        figures[`growth_${op.name}_${label(prev.n)}_to_${label(s.n)}_per_tenfold`] = perTenfold;
        worst = Math.max(worst, perTenfold);
      });
      figures[`growth_${op.name}_faster_than_log`] = worst > FASTER_THAN_LOG;
    }
    Object.assign(figures, plans(seeded.at(-1)!.db));
    figures.growth_load_1min_at_end = loadavg()[0]!;
    figures.growth_run_s = (performance.now() - started) / 1000;
  } finally {
    for (const s of seeded) s.db.close();
    // The shared million stays for the other benches; the series' own files go unless kept.
    if (!ctx.keepSeeded) for (const s of seeded) if (s.n !== HISTORY_ROWS) removeSeededHistory(s.n);
  }
  return figures;
}
