import {
  maskedDisplay,
  type AttemptView,
  type CouponHistory,
  type HistoryCursor,
  type HistoryFilter,
  type HistoryPage,
  type HistoryRow,
  type Outcome,
} from '../../../shared/domain/history';
import type { CouponUndoView, ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import { OUTCOME_COLUMN, OUTCOME_WHERE } from '../outbox/scan-outcome';
import type { CouponUndos } from './coupon-undos';

/**
 * A row as the SQL below returns it. Not parsed per row: the STRICT tables fix each column's type
 * and their CHECKs and the scan path fix the enums, so a zod parse only cost time (a third of a
 * page's time at 1M scans).
 */
interface Row {
  id: number;
  scanned_at: number;
  source: ScanSource;
  credential_kind: string;
  credential_display: string;
  order_id: string | null;
  project_id: string | null;
  project_name: string | null;
  verdict: Verdict;
  reason: VerdictReason;
  douyin_message: string | null;
  staff: string;
  operator_no: string;
  window_name: string;
  poi_id: string | null;
  outbox_id: number | null;
  tries: number | null;
  last_reason: string | null;
  attempt_count: number;
  outcome: Outcome;
  kind: string | null;
  people: number | null;
  amount_fen: number | null;
}

interface AttemptRow {
  started_at: number;
  finished_at: number;
  outcome: string;
  reached: number;
  error_code: number | null;
  http_status: number | null;
  logid: string | null;
  message: string | null;
}

const SELECT = `SELECT s.id, s.scanned_at, s.source, s.credential_kind, s.credential_display, s.order_id, s.project_id,
    s.project_name, s.verdict, s.reason, s.douyin_message, s.staff, s.operator_no, s.window_name, s.poi_id,
    o.id AS outbox_id, o.tries, o.last_reason, COALESCE(o.attempt_count, 0) AS attempt_count, ${OUTCOME_COLUMN} AS outcome,
    o.kind, s.people, s.amount_fen`;

/**
 * One CSV record as SQL returns it (raw arrays): the cells in the export's column order, then the
 * scan id for the keyset. Attempt counts and logids are the outbox item's stored totals (migration
 * 0017): counted per exported scan they were a third of the export's SQL time.
 */
export type ExportRecord = [
  at: number,
  windowName: string,
  staff: string,
  poiId: string | null,
  source: string,
  credentialKind: string,
  credentialDisplay: string,
  orderId: string | null,
  project: string | null,
  outcome: string,
  reason: string,
  douyinMessage: string | null,
  attempts: number,
  lastReason: string | null,
  logids: string | null,
  operatorNo: string,
  product: string | null,
  people: number | null,
  amountFen: number | null,
  id: number,
];

const EXPORT_SELECT = `SELECT s.scanned_at, s.window_name, s.staff, s.poi_id, s.source, s.credential_kind, s.credential_display,
    s.order_id, COALESCE(s.project_name, s.project_id), ${OUTCOME_COLUMN}, s.reason, s.douyin_message,
    COALESCE(o.attempt_count, 0), o.last_reason, o.logids, s.operator_no,
    CASE WHEN s.people IS NOT NULL THEN s.project_name END, s.people, s.amount_fen, s.id`;

/**
 * The supervisor's view of history: scans with their outbox item and attempts, newest first,
 * paged by keyset (scanned_at, id) so page 500 costs what page 1 costs. A prefix search reads the
 * order-id and code indexes as ranges, [prefix, prefix||U+10FFFF), never a LIKE scan, unless the
 * prefix matches so many scans that walking history newest first finds a page sooner (see
 * `select`).
 */
export class HistoryRepository {
  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private readonly attemptsOf;

  constructor(
    private readonly db: Db,
    /** Coupon scans' undo state (撤销核销); without it history shows no undo column. */
    private readonly undos?: CouponUndos,
  ) {
    // One outbox item per scan; its attempts in id order straight from the (outbox_id, id) index.
    this.attemptsOf = db.prepare(`SELECT a.started_at, a.finished_at, a.outcome, a.reached, a.error_code, a.http_status,
        a.logid, a.message FROM outbox o JOIN attempts a ON a.outbox_id = o.id WHERE o.scan_id = ? ORDER BY a.id`);
  }

  page(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): HistoryPage {
    const rows = this.rows(filter, after, limit);
    const last = rows.at(-1);
    return rows.length === limit && last ? { rows, next: { at: last.at, id: last.id } } : { rows };
  }

  /**
   * One page of rows. Each row carries its attempts' count, stored beside its outbox item; the
   * attempts themselves (`attempts`) are read when a row is opened: read for every page, they
   * were a second statement and a third of the page's time.
   */
  rows(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): HistoryRow[] {
    const scans = this.select(filter, after, limit, SELECT, false) as Row[];
    const couponIds = scans.flatMap((s) => (isCoupon(s) ? [s.id] : []));
    const undoViews = this.undos?.views(couponIds) ?? new Map<number, { undone: number; undo: CouponUndoView }>();
    return scans.map((s) => ({
      id: s.id,
      at: s.scanned_at,
      source: s.source,
      credentialKind: s.credential_kind,
      credentialDisplay: maskedDisplay(s.credential_kind, s.credential_display),
      orderId: s.order_id,
      projectId: s.project_id,
      projectName: s.project_name,
      verdict: s.verdict,
      reason: s.reason,
      outcome: s.outcome,
      douyinMessage: s.douyin_message,
      staff: s.staff,
      operatorNo: s.operator_no,
      windowName: s.window_name,
      poiId: s.poi_id,
      outboxId: s.outbox_id,
      tries: s.tries,
      lastReason: s.last_reason,
      attemptCount: s.attempt_count,
      coupon: isCoupon(s) ? couponOf(s, undoViews.get(s.id)) : null,
    }));
  }

  /** A scan's attempts, oldest first: what its history row lists when opened. */
  attempts(scanId: number): AttemptView[] {
    return (this.attemptsOf.all(scanId) as AttemptRow[]).map((a) => ({
      startedAt: a.started_at,
      finishedAt: a.finished_at,
      outcome: a.outcome,
      reached: a.reached === 1,
      errorCode: a.error_code,
      httpStatus: a.http_status,
      logid: a.logid,
      message: a.message,
    }));
  }

  /** One keyset batch of the CSV export, newest first, the same filter as the screen. */
  exportRecords(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): ExportRecord[] {
    return this.select(filter, after, limit, EXPORT_SELECT, true) as ExportRecord[];
  }

  /**
   * A search reads whichever is cheaper for its prefix, the index ranges (one step per match) or
   * history newest first (one table row per scan passed), without knowing beforehand how many
   * scans share the prefix. It counts at most RANGE_STEPS_PER_ROW·budget matches: fewer, and the
   * ranges answer; else it walks the `budget` newest scans, and keeps the page if it filled one.
   * If not, the share of matches among the scans walked says how far a page lies, and the budget
   * goes there (a power of two, at least twice as far). Walking only after counting seven times as
   * many matches keeps the walk no dearer than the ranges, so a search costs a small multiple of
   * the cheaper way: a rare prefix its matches, one a tenth of the scans share a walk of some 500
   * scans, whatever the history's length. Short walks after the first count skip the count
   * (UNCOUNTED_WALK): their cost is bounded, and the ranges' is known to be no small one. (Counting up to √(350·n) matches first, as before, made
   * the second grow as √n: 2.5 ms at 5M scans.)
   */
  private select(
    filter: HistoryFilter,
    after: HistoryCursor | undefined,
    limit: number,
    select: string,
    raw: boolean,
  ): unknown[] {
    const run = ({ sql, params }: { sql: string; params: Record<string, string | number> }) =>
      this.statement(sql, raw).all(params);
    if (filter.search === undefined) return run(buildQuery(filter, after, limit, select));
    for (let walk = FIRST_WALK; ;) {
      const cap = RANGE_STEPS_PER_ROW * walk;
      // Once the first count found ≥ 7·FIRST_WALK matches, a walk of up to UNCOUNTED_WALK scans
      // costs about what counting further would: it goes ahead, and only a longer one is counted.
      const counted = walk === FIRST_WALK || walk > UNCOUNTED_WALK;
      const matches = counted ? (this.statement(countMatches(cap)).pluck().get({ prefix: filter.search }) as number) : cap;
      if (matches < cap) return run(buildQuery(filter, after, limit, select));
      const page = run(buildQuery(filter, after, limit, select, walk));
      if (page.length === limit) return page;
      const far = (1.25 * limit * walk) / Math.max(page.length, 1);
      walk = Math.max(2 * walk, 2 ** Math.ceil(Math.log2(far)));
    }
  }

  /** Prepared once per distinct query text; `raw` statements return arrays, not objects. */
  private statement(sql: string, raw = false): ReturnType<Db['prepare']> {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (raw) stmt.raw(true);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }
}

/** A Douyin-code coupon scan: it chose certificates (even none, when cancelled), or it verified some. */
function isCoupon(s: Row): boolean {
  return s.people !== null || s.kind === 'coupon';
}

const NO_UNDO: CouponUndoView = {
  deadline: null,
  state: 'unavailable',
  reason: null,
  operatorNo: null,
  requestedAt: null,
  lastReason: null,
};

function couponOf(s: Row, undo: { undone: number; undo: CouponUndoView } | undefined): CouponHistory {
  return {
    title: s.project_name,
    people: s.people,
    amountFen: s.amount_fen,
    undone: undo?.undone ?? 0,
    undo: undo?.undo ?? NO_UNDO,
  };
}

/**
 * Exported for the benchmarks and the query-plan test. A search reads its index ranges, or with
 * `walk` tests the `walk` newest scans that pass the other filters (see `select`).
 */
export function buildQuery(
  filter: HistoryFilter,
  after: HistoryCursor | undefined,
  limit: number,
  select = SELECT,
  walk?: number,
): { sql: string; params: Record<string, string | number> } {
  // LIMIT is written into the text, not bound: SQLite (3.47+) plans with a bound LIMIT's value,
  // so rebinding it (every call) expired the statement and it was compiled again on every page,
  // ~0.1 ms, 6x the search's own work. A checked integer cannot carry anything into the SQL.
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, not ${limit}`);
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.from !== undefined) {
    where.push('s.scanned_at >= @from');
    params.from = filter.from;
  }
  // A cursor inside the range is the tighter upper bound and then the only one: given both,
  // SQLite bounded the index walk by @to and tested the cursor on every row above it, so each
  // page of an export walked back over all the pages before it (100k rows: 1.5 s of 2).
  if (filter.to !== undefined && !(after && after.at < filter.to)) {
    where.push('s.scanned_at < @to');
    params.to = filter.to;
  }
  if (filter.outcome) where.push(OUTCOME_WHERE[filter.outcome]);
  if (filter.staff) {
    where.push('s.staff = @staff');
    params.staff = filter.staff;
  }
  if (filter.operatorNo) {
    where.push('s.operator_no = @operatorNo');
    params.operatorNo = filter.operatorNo;
  }
  if (filter.shiftId !== undefined) {
    where.push('s.shift_id = @shiftId');
    params.shiftId = filter.shiftId;
  }
  if (filter.project) {
    where.push('(s.project_id = @project OR s.project_name = @project)');
    params.project = filter.project;
  }
  if (after) {
    where.push('(s.scanned_at, s.id) < (@afterAt, @afterId)');
    params.afterAt = after.at;
    params.afterId = after.id;
  }
  const order = `ORDER BY s.scanned_at DESC, s.id DESC LIMIT ${limit}`;
  const from = 'FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id';
  if (!filter.search) return { sql: `${select} ${from} ${whereOf(where)} ${order}`, params };
  params.prefix = filter.search;
  if (walk !== undefined) {
    // The `walk` newest scans on a time-ordered index (the one the other filters pick, or
    // scans_at); the unary + keeps SQLite off the range indexes when it tests them. A full page
    // of matches among them is the newest page of all: every scan not walked is older.
    if (!Number.isSafeInteger(walk) || walk < 1) throw new RangeError(`walk must be a positive integer, not ${walk}`);
    const matches = `(${rangeOf('+s.order_id')} OR ${rangeOf('+s.credential_display')})`;
    const walked = `SELECT s.id FROM scans s ${whereOf(where)} ORDER BY s.scanned_at DESC, s.id DESC LIMIT ${walk}`;
    return {
      sql: `${select} FROM (${walked}) w CROSS JOIN scans s ON s.id = w.id LEFT JOIN outbox o ON o.scan_id = s.id
        WHERE ${matches} ${order}`,
      params,
    };
  }
  // Each range's newest page, every filter applied there, read from its index; only those (at
  // most twice the page) join the outbox, in that order (CROSS JOIN). Joining every match first
  // cost a prefix shared by 100,000 masked ID numbers a quarter of a second. INDEXED BY: without
  // statistics SQLite would rather take an outcome's or a staff member's index for a range and
  // test every scan of theirs.
  const range = (column: string) =>
    `SELECT id FROM (SELECT s.id FROM scans s INDEXED BY scans_${column === 'order_id' ? 'order' : 'display'}_at
      ${whereOf([rangeOf(`s.${column}`), ...where])} ${order})`;
  return {
    sql: `${select} FROM (${range('order_id')} UNION ${range('credential_display')}) m
      CROSS JOIN scans s ON s.id = m.id LEFT JOIN outbox o ON o.scan_id = s.id ${order}`,
    params,
  };
}

/** [prefix, prefix || U+10FFFF): every value that starts with the prefix, as an index range. */
const rangeOf = (column: string) => `${column} >= @prefix AND ${column} < @prefix || char(1114111)`;

/**
 * The ranges cost one index step per match (~70 ns), the walk one table row per scan passed
 * (~0.5 µs, 7×) until a page of matches is found: a prefix with m matches among n scans costs m
 * steps one way and about 50·n/m rows the other.
 */
const RANGE_STEPS_PER_ROW = 7;
/** The first budget: a rare prefix (most searches) is counted in ≤ 896 index steps, ~0.05 ms. */
const FIRST_WALK = 128;
/**
 * Walks up to this long go ahead without a second count: counting to 7·1024 matches (~0.27 ms at
 * 1M scans) cost as much as the walk it guarded (~0.3 ms), for prefixes a tenth of the scans share.
 */
const UNCOUNTED_WALK = 1024;

/** The prefix's matches in both ranges, counted up to `cap` each (a literal: one statement per budget). */
export const countMatches = (cap: number) =>
  `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM scans WHERE ${rangeOf('order_id')} LIMIT ${cap}))
    + (SELECT COUNT(*) FROM (SELECT 1 FROM scans WHERE ${rangeOf('credential_display')} LIMIT ${cap}))`;

const whereOf = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
