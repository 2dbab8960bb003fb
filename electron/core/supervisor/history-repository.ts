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
  outcome: Outcome;
  kind: string | null;
  people: number | null;
  amount_fen: number | null;
}

interface AttemptRow {
  outbox_id: number;
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
    o.id AS outbox_id, o.tries, o.last_reason, ${OUTCOME_COLUMN} AS outcome, o.kind, s.people, s.amount_fen`;

/**
 * One CSV record as SQL returns it (raw arrays): the cells in the export's column order, then the
 * scan id for the keyset. Attempt counts and logids come from the attempts index row by row in SQL
 * rather than as a second query and objects per attempt.
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
    (SELECT COUNT(*) FROM attempts a WHERE a.outbox_id = o.id), o.last_reason,
    (SELECT group_concat(a.logid, ' ' ORDER BY a.id) FROM attempts a WHERE a.outbox_id = o.id), s.operator_no,
    CASE WHEN s.people IS NOT NULL THEN s.project_name END, s.people, s.amount_fen, s.id`;

/**
 * The supervisor's view of history: scans with their outbox item and attempts, newest first,
 * paged by keyset (scanned_at, id) so page 500 costs what page 1 costs. A prefix search walks the
 * order-id and code indexes as ranges, [prefix, prefix||U+10FFFF), never a LIKE scan.
 */
export class HistoryRepository {
  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private readonly attemptsOf;

  constructor(
    private readonly db: Db,
    /** Coupon scans' undo state (撤销核销); without it history shows no undo column. */
    private readonly undos?: CouponUndos,
  ) {
    this.attemptsOf =
      db.prepare(`SELECT outbox_id, started_at, finished_at, outcome, reached, error_code, http_status, logid, message
      FROM attempts WHERE outbox_id IN (SELECT value FROM json_each(?)) ORDER BY id`);
  }

  page(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): HistoryPage {
    const rows = this.rows(filter, after, limit);
    const last = rows.at(-1);
    return rows.length === limit && last ? { rows, next: { at: last.at, id: last.id } } : { rows };
  }

  /** One page of rows with their attempts; what both the screen and the export read. */
  rows(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): HistoryRow[] {
    const { sql, params } = buildQuery(filter, after, limit);
    const scans = this.statement(sql).all(params) as Row[];
    const outboxIds = scans.flatMap((s) => (s.outbox_id === null ? [] : [s.outbox_id]));
    const attempts = new Map<number, AttemptView[]>();
    if (outboxIds.length > 0) {
      for (const a of this.attemptsOf.all(JSON.stringify(outboxIds)) as AttemptRow[]) {
        const list = attempts.get(a.outbox_id) ?? [];
        list.push({
          startedAt: a.started_at,
          finishedAt: a.finished_at,
          outcome: a.outcome,
          reached: a.reached === 1,
          errorCode: a.error_code,
          httpStatus: a.http_status,
          logid: a.logid,
          message: a.message,
        });
        attempts.set(a.outbox_id, list);
      }
    }
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
      attempts: s.outbox_id === null ? [] : (attempts.get(s.outbox_id) ?? []),
      coupon: isCoupon(s) ? couponOf(s, undoViews.get(s.id)) : null,
    }));
  }

  /** One keyset batch of the CSV export, newest first, the same filter as the screen. */
  exportRecords(filter: HistoryFilter, after: HistoryCursor | undefined, limit: number): ExportRecord[] {
    const { sql, params } = buildQuery(filter, after, limit, EXPORT_SELECT);
    return this.statement(sql, true).all(params) as ExportRecord[];
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

/** Exported for the benchmark's baseline and the query-plan test. */
export function buildQuery(
  filter: HistoryFilter,
  after: HistoryCursor | undefined,
  limit: number,
  select = SELECT,
): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit };
  if (filter.from !== undefined) {
    where.push('s.scanned_at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
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
  // A search starts from the few ids its index ranges give (CROSS JOIN fixes that order), then
  // sorts them; without it SQLite might walk the time index and test every scan.
  let from = 'FROM scans s';
  if (filter.search) {
    params.prefix = filter.search;
    from = `FROM (SELECT id FROM scans WHERE order_id >= @prefix AND order_id < @prefix || char(1114111)
               UNION SELECT id FROM scans WHERE credential_display >= @prefix AND credential_display < @prefix || char(1114111)) m
             CROSS JOIN scans s ON s.id = m.id`;
  }
  const sql = `${select} ${from} LEFT JOIN outbox o ON o.scan_id = s.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY s.scanned_at DESC, s.id DESC LIMIT @limit`;
  return { sql, params };
}
