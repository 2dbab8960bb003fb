import { join } from 'node:path';
import { openDatabase } from '../electron/core/db/connection';
import { DayViewBook } from '../electron/core/supervisor/day-view';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATE = '2026-11-29';
const DAY_START = Date.parse(`${DATE}T00:00:00+08:00`);
const PRODUCTS = ['成人门票', '儿童票', '索道', '游船', '双人套票'];
const OPERATORS = ['A017', 'B020', 'C031', 'D042', 'E053', 'F064'];
const OUTCOMES = ['verified', 'verified', 'verified', 'verified', 'verified', 'verified', 'pending', 'rejected', 'refused'];

/**
 * A history of `rows` scans, `dayRows` of them on the measured day (a busy gate's 50,000, most
 * between 08:00 and 18:00), the rest spread over the 180 days before. Written as the app writes
 * them: a scan with its reason, then its outbox row with the state Douyin's answer left, so the
 * schema's own triggers store each outcome from OUTCOME_SQL (nothing is dropped or written around
 * them). One transaction, prepared statements, synchronous off for the load only.
 */
function seed(file: string, rows: number, dayRows: number): number {
  const started = performance.now();
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insertScan = db.prepare(`INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display,
      order_id, project_id, project_name, verdict, reason, staff, window_name, poi_id, people, amount_fen, operator_no)
    VALUES (?, ?, 'scanner', 'code', ?, ?, ?, ?, ?, ?, ?, '', '东门1号', NULL, ?, ?, ?)`);
  const insertItem = db.prepare(`INSERT INTO outbox (id, scan_id, order_id, verify_token, verify_time, request, state,
      next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)`);
  let state = 20261129;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  // The day's scans peak around 11:00; the others fall on the 180 days before it. Inserted in time
  // order, as a window writes them (and so the time index grows at its end).
  const times = Array.from({ length: rows }, (_, i) =>
    i < dayRows
      ? DAY_START + Math.floor(Math.min(23.99, Math.max(0, 8 + random() * 5 + random() * 5)) * HOUR)
      : DAY_START - DAY - Math.floor(random() * 180 * DAY),
  ).sort((a, b) => a - b);
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) {
      const id = i + 1;
      const at = times[i]!;
      const product = PRODUCTS[i % PRODUCTS.length]!;
      const coupon = product === '双人套票';
      const outcome = OUTCOMES[Math.floor(random() * OUTCOMES.length)]!;
      const verdict = outcome === 'verified' ? 'verified' : outcome === 'pending' ? 'offline' : 'refused';
      const reason =
        outcome === 'pending'
          ? 'offline_queued'
          : outcome === 'verified'
            ? 'verified'
            : outcome === 'refused'
              ? 'not_found'
              : 'douyin_rejected';
      const orderId = `8${String(i).padStart(18, '0')}`;
      insertScan.run(
        id,
        at,
        `code:C${i}`,
        `C${i}`,
        orderId,
        product,
        product,
        verdict,
        reason,
        coupon ? 2 : null,
        coupon ? 25_600 : null,
        OPERATORS[i % OPERATORS.length]!,
      );
      // A refused scan never had a request; the others' outbox row holds Douyin's answer.
      if (outcome === 'refused') continue;
      const itemState = outcome === 'pending' ? 'queued' : outcome;
      insertItem.run(id, id, orderId, `tok-${id}`, Math.floor(at / 1000), itemState, at + 60_000, at, at + 300);
    }
  })();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - started) / 1000;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * The day view for one day in a large history, beside the bare aggregate SQLite can do on the
 * same rows (the same range on the time index, grouped by hour and outcome): what the figures
 * add is the product, operator, coupon and offline groups and the fold into hours and lists.
 */
export async function run(ctx: BenchContext): Promise<Figures> {
  const rows = ctx.quick ? 200_000 : 1_000_000;
  const dayRows = ctx.quick ? 10_000 : 50_000;
  const reps = ctx.quick ? 30 : 100;
  const dir = tempDir();
  try {
    const file = join(dir.path, 'day-view.db');
    const seeded = seed(file, rows, dayRows);
    // Measured on a connection opened as the app opens it (its page cache, its pragmas).
    const db = openDatabase(file);
    const book = new DayViewBook(db);
    const firstHour = DAY_START / HOUR;
    // The bare aggregate: the day's scans counted per hour and outcome, the index's own prefix.
    const raw = db.prepare(`SELECT scanned_at / ${HOUR} - @firstHour AS hour, outcome, COUNT(*) AS n FROM scans
      WHERE scanned_at / ${HOUR} >= @firstHour AND scanned_at / ${HOUR} < @firstHour + 24 GROUP BY scanned_at / ${HOUR}, outcome`);
    const check = book.of(DATE);
    if (check.total !== dayRows) throw new Error(`day view counted ${check.total} scans, seeded ${dayRows}`);
    const stored = db.prepare(`SELECT COUNT(*) AS n FROM scans WHERE outcome IS NULL`).get() as { n: number };
    if (stored.n !== 0) throw new Error(`${stored.n} scans have no stored outcome`);
    for (let i = 0; i < 3; i += 1) {
      book.of(DATE);
      raw.all({ firstHour });
    }
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < reps; i += 1) {
      // Taking turns at going first, so neither side always pays for a cold cache.
      const mine = () => ours.push(time(() => book.of(DATE)));
      const theirs = () => bare.push(time(() => raw.all({ firstHour })));
      if (i % 2 === 0) {
        mine();
        theirs();
      } else {
        theirs();
        mine();
      }
    }
    db.close();
    const p99 = percentile(ours, 99);
    const rawP99 = percentile(bare, 99);
    return {
      day_view_history_rows: rows,
      day_view_day_rows: dayRows,
      day_view_seed_s: Number(seeded.toFixed(2)),
      day_view_p50_ms: percentile(ours, 50),
      day_view_p99_ms: p99,
      day_view_raw_p50_ms: percentile(bare, 50),
      day_view_raw_p99_ms: rawP99,
      day_view_ratio: p99 / rawP99,
    };
  } finally {
    dir.remove();
  }
}
