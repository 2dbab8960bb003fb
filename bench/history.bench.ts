import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { openDatabase, type Db } from '../electron/core/db/connection';
import { ExportDesk } from '../electron/core/supervisor/export-desk';
import { ExportThread, type ThreadEntry } from '../electron/core/supervisor/export-thread';
import { HistoryRepository } from '../electron/core/supervisor/history-repository';
import type { ExportFormat } from '../shared/domain/supervisor';
import type { HistoryFilter } from '../shared/domain/history';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { HISTORY_ROWS, seededHistoryFile } from './seeded-history';
import { percentile, type Figures } from './summary';

const ROWS = HISTORY_ROWS;
// V8's gc() for this process without a command-line flag: the flag set, then read from a new context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const PAGE = 50;
const DAY = 86_400_000;

function timeIt(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Supervisor-shaped questions: a day by outcome, a week of one staff member, a project's day, what needs attention. */
function filters(db: Db, count: number): HistoryFilter[] {
  const { lo, hi } = db.prepare('SELECT MIN(scanned_at) AS lo, MAX(scanned_at) AS hi FROM scans').get() as {
    lo: number;
    hi: number;
  };
  const staff = ['张三', '李四', '王五', '赵六'];
  return Array.from({ length: count }, (_, i) => {
    const day = lo + Math.floor(((i * 7919) % 170) * DAY);
    switch (i % 4) {
      case 0:
        return { from: day, to: day + DAY, outcome: 'verified' as const };
      case 1:
        return { from: day, to: day + 7 * DAY, staff: staff[i % staff.length]! };
      case 2:
        return { from: day, to: day + DAY, project: 'cable' };
      default:
        return { from: hi - 30 * DAY, to: hi + 1, outcome: 'needs_attention' as const };
    }
  });
}

function prefixes(db: Db, count: number): string[] {
  const sample = db
    .prepare(`SELECT credential_kind AS kind, credential_display AS display, order_id FROM scans WHERE id % 9973 = 0 LIMIT ?`)
    .all(count) as { kind: string; display: string; order_id: string | null }[];
  // What a supervisor types: the first 6–8 characters of a code or an order id.
  return sample.map((s, i) => (s.kind === 'code' ? s.display.slice(0, 6) : (s.order_id ?? s.display).slice(0, 8 + (i % 3))));
}

function queries(db: Db, reps: number): Figures {
  const history = new HistoryRepository(db);
  const rawRange = db.prepare(
    `SELECT * FROM scans WHERE scanned_at >= ? AND scanned_at < ? ORDER BY scanned_at DESC LIMIT ${PAGE}`,
  );
  // A search matches order ids and codes alike: its bare query reads both index ranges (a page of
  // each). The one-range baseline of earlier runs was empty for every code prefix.
  const rawPrefixRange = (column: string) =>
    db.prepare(`SELECT * FROM scans WHERE ${column} >= ? AND ${column} < ? || char(1114111) LIMIT ${PAGE}`);
  const rawOrders = rawPrefixRange('order_id');
  const rawCodes = rawPrefixRange('credential_display');
  const rawPrefix = (p: string) => [...rawOrders.all(p, p), ...rawCodes.all(p, p)];
  const fs = filters(db, reps);
  const ps = prefixes(db, reps);
  // Warm the page cache and the statement cache alike for both sides.
  for (const f of fs.slice(0, 8)) history.page(f, undefined, PAGE);
  const q: number[] = [];
  const qRaw: number[] = [];
  const s: number[] = [];
  const sRaw: number[] = [];
  // Whichever runs first on a new range reads its pages from the OS cache into SQLite's: the two
  // take turns at going first, so neither side is always the one that pays for it. Filters cycle
  // through four kinds, so they take turns per cycle: each kind goes first half the time.
  const pair = (oursFirst: boolean, ours: () => unknown, raw: () => unknown, oursTimes: number[], rawTimes: number[]) => {
    if (oursFirst) oursTimes.push(timeIt(ours));
    rawTimes.push(timeIt(raw));
    if (!oursFirst) oursTimes.push(timeIt(ours));
  };
  fs.forEach((f, i) =>
    pair(
      Math.floor(i / 4) % 2 === 0,
      () => history.page(f, undefined, PAGE),
      () => rawRange.all(f.from, f.to),
      q,
      qRaw,
    ),
  );
  ps.forEach((p, i) =>
    pair(
      i % 2 === 0,
      () => history.page({ search: p }, undefined, PAGE),
      () => rawPrefix(p),
      s,
      sRaw,
    ),
  );
  const p99 = (v: number[]) => percentile(v, 99);
  return {
    history_query_p99_ms: p99(q),
    history_query_p50_ms: percentile(q, 50),
    history_query_raw_p99_ms: p99(qRaw),
    history_query_ratio: p99(q) / p99(qRaw),
    history_search_p99_ms: p99(s),
    history_search_p50_ms: percentile(s, 50),
    history_search_raw_p99_ms: p99(sRaw),
    history_search_ratio: p99(s) / p99(sRaw),
    history_query_samples: q.length,
  };
}

/**
 * The export thread's script as the app runs it: built, not TypeScript through tsx (whose
 * loader and transforms would be most of a thread's start here).
 */
function builtExportEntry(): ThreadEntry {
  const root = resolve(import.meta.dirname, '..');
  const built = spawnSync('npx', ['vite', 'build', '-c', 'electron/vite.main.config.ts', '--mode', 'export-worker'], {
    cwd: root,
    stdio: 'ignore',
    timeout: 120_000,
  });
  if (built.status !== 0) throw new Error('building the export thread (vite --mode export-worker) failed');
  return { file: pathToFileURL(resolve(root, 'dist/host/export-worker.cjs')), execArgv: [] };
}

/**
 * How long this thread's event loop went without a turn, at worst, while `work` ran: a 1 ms
 * interval's largest gap. This thread stands for the core's, which must go on answering scans.
 */
async function probed(work: () => Promise<unknown>): Promise<{ worst: number }> {
  let worst = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(probe);
  }
  return { worst };
}

/**
 * 100,000 rows to CSV and to .xlsx through the app's export desk (its thread, one row source, two
 * writers); the baseline reads the same rows raw on this thread. The three take turns at going
 * first. The event-loop probe runs on this thread, which stands for the core's: it must go on
 * answering scans while an export runs.
 */
async function exportFigures(db: Db, runs: number): Promise<Figures> {
  const { hi } = db.prepare('SELECT MAX(scanned_at) AS hi FROM scans').get() as { hi: number };
  const fromAt = (
    db.prepare('SELECT scanned_at AS at FROM scans ORDER BY scanned_at DESC LIMIT 1 OFFSET 99999').get() as { at: number }
  ).at;
  const filter: HistoryFilter = { from: fromAt, to: hi + 1 };
  const dir = tempDir('tw-bench-export-');
  const entry = builtExportEntry();
  const desk = new ExportDesk(dir.path, db.name, Date.now, entry);
  const raws: number[] = [];
  let rows = 0;
  const writers = {
    csv: { times: [] as number[], worstBlock: 0, bytes: 0 },
    xlsx: { times: [] as number[], worstBlock: 0, bytes: 0 },
  };
  const rawRead = () => {
    raws.push(
      timeIt(() => db.prepare('SELECT * FROM scans WHERE scanned_at >= ? AND scanned_at < ?').all(filter.from, filter.to)),
    );
    // The 100k objects it made are this thread's garbage, not the export's: collected now, not
    // in the middle of the next export's probe (a 37 ms "block" that was this thread's GC).
    collectGarbage();
  };
  const timed = async (format: ExportFormat) => {
    const writer = writers[format];
    const t = performance.now();
    let bytes = 0;
    const { worst } = await probed(async () => ({ rows, bytes } = await desk.start(filter, format)));
    writer.times.push(performance.now() - t);
    writer.worstBlock = Math.max(writer.worstBlock, worst);
    writer.bytes = bytes;
  };
  // A thread's start alone (it answers a job it cannot parse at once): what the first export pays.
  const starts: number[] = [];
  const firstExport: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const thread = new ExportThread(entry);
    const t = performance.now();
    await thread.run({} as never).reply;
    starts.push(performance.now() - t);
    await thread.close();
  }
  try {
    // One untimed pass first: the first reader of 100k rows pays for moving their pages
    // (scans, outbox, attempts) from the OS cache into SQLite's, and with one run (quick) that was
    // always ours. It is also the export that starts the desk's thread, as a supervisor's first
    // export does.
    const first = performance.now();
    await desk.start(filter, 'csv');
    firstExport.push(performance.now() - first);
    rawRead();
    raws.length = 0;
    for (let i = 0; i < runs; i += 1) {
      if (i % 2 === 1) rawRead();
      const order: ExportFormat[] = i % 2 === 0 ? ['csv', 'xlsx'] : ['xlsx', 'csv'];
      for (const format of order) await timed(format);
      if (i % 2 === 0) rawRead();
    }
  } finally {
    await desk.close();
    dir.remove();
  }
  const median = (v: number[]) => percentile(v, 50);
  // The same probe while a thread only spins for as long as a CSV export took: the gaps the
  // OS's scheduling of two busy threads on two cores makes by itself, with no export work at all.
  const spin = Math.round(percentile(writers.csv.times, 50));
  const { worst: spinGap } = await probed(
    () =>
      new Promise((done) =>
        new Worker(`const end = Date.now() + ${spin}; while (Date.now() < end);`, { eval: true }).once('exit', done),
      ),
  );
  return {
    export_rows: rows,
    export_100k_s: median(writers.csv.times) / 1000,
    export_raw_read_s: median(raws) / 1000,
    export_ratio: median(writers.csv.times) / median(raws),
    export_max_event_loop_block_ms: writers.csv.worstBlock,
    export_busy_thread_max_gap_ms: spinGap,
    export_thread_start_ms: median(starts),
    export_first_100k_s: firstExport[0]! / 1000,
    export_xlsx_100k_s: median(writers.xlsx.times) / 1000,
    export_xlsx_vs_csv_ratio: median(writers.xlsx.times) / median(writers.csv.times),
    export_xlsx_max_event_loop_block_ms: writers.xlsx.worstBlock,
    export_xlsx_mib: writers.xlsx.bytes / 1024 / 1024,
    export_csv_mib: writers.csv.bytes / 1024 / 1024,
  };
}

export async function run(ctx: BenchContext): Promise<Figures> {
  const { file, seeded_s } = seededHistoryFile();
  const db = openDatabase(file);
  try {
    return {
      history_rows: ROWS,
      history_seed_s: seeded_s ?? 'cached',
      ...queries(db, ctx.quick ? 200 : 1000),
      ...(await exportFigures(db, ctx.quick ? 1 : 3)),
    };
  } finally {
    db.close();
  }
}
