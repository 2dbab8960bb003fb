import { z } from 'zod';
import {
  AttemptView,
  maskedDisplay,
  Outcome,
  type HistoryCursor,
  type HistoryFilter,
  type HistoryPage,
  type HistoryRow,
} from '../../../shared/domain/history';
import { ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import { OUTCOME_SQL, OUTCOME_WHERE } from '../outbox/scan-outcome';

const Row = z.object({
  id: z.number().int(),
  scanned_at: z.number().int(),
  source: ScanSource,
  credential_kind: z.string(),
  credential_display: z.string(),
  order_id: z.string().nullable(),
  project_id: z.string().nullable(),
  project_name: z.string().nullable(),
  verdict: Verdict,
  reason: VerdictReason,
  douyin_message: z.string().nullable(),
  staff: z.string(),
  operator_no: z.string(),
  window_name: z.string(),
  poi_id: z.string().nullable(),
  outbox_id: z.number().int().nullable(),
  tries: z.number().int().nullable(),
  last_reason: z.string().nullable(),
  outcome: Outcome,
});

const AttemptRow = z
  .object({
    outbox_id: z.number().int(),
    started_at: z.number().int(),
    finished_at: z.number().int(),
    outcome: z.string(),
    reached: z.number().int(),
    error_code: z.number().int().nullable(),
    http_status: z.number().int().nullable(),
    logid: z.string().nullable(),
    message: z.string().nullable(),
  })
  .transform((r) => ({
    outboxId: r.outbox_id,
    attempt: AttemptView.parse({
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      reached: r.reached === 1,
      errorCode: r.error_code,
      httpStatus: r.http_status,
      logid: r.logid,
      message: r.message,
    }),
  }));

const SELECT = `SELECT s.id, s.scanned_at, s.source, s.credential_kind, s.credential_display, s.order_id, s.project_id,
    s.project_name, s.verdict, s.reason, s.douyin_message, s.staff, s.operator_no, s.window_name, s.poi_id,
    o.id AS outbox_id, o.tries, o.last_reason, ${OUTCOME_SQL} AS outcome`;

/**
 * The supervisor's view of history: scans with their outbox item and attempts, newest first,
 * paged by keyset (scanned_at, id) so page 500 costs what page 1 costs. A prefix search walks the
 * order-id and code indexes as ranges, [prefix, prefix||U+10FFFF), never a LIKE scan.
 */
export class HistoryRepository {
  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private readonly attemptsOf;

  constructor(private readonly db: Db) {
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
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    const scans = stmt.all(params).map((raw) => Row.parse(raw));
    const outboxIds = scans.flatMap((s) => (s.outbox_id === null ? [] : [s.outbox_id]));
    const attempts = new Map<number, AttemptView[]>();
    if (outboxIds.length > 0) {
      for (const raw of this.attemptsOf.all(JSON.stringify(outboxIds))) {
        const { outboxId, attempt } = AttemptRow.parse(raw);
        const list = attempts.get(outboxId) ?? [];
        list.push(attempt);
        attempts.set(outboxId, list);
      }
    }
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
    }));
  }
}

/** Exported for the benchmark's baseline and the query-plan test. */
export function buildQuery(
  filter: HistoryFilter,
  after: HistoryCursor | undefined,
  limit: number,
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
  const sql = `${SELECT} ${from} LEFT JOIN outbox o ON o.scan_id = s.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY s.scanned_at DESC, s.id DESC LIMIT @limit`;
  return { sql, params };
}
