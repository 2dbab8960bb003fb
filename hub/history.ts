import type { HistoryPushRequest, HubChange } from '../shared/hub/protocol';
import type { Db } from './db';
import { inTransaction } from './db';
import type { AuthedWindow } from './window-auth';

type Of<K extends HubChange['kind']> = Extract<HubChange, { kind: K }>;

/** The newest entry per row: a batch may name one scan several times, its latest state wins. */
function latest<K extends HubChange['kind']>(changes: HubChange[], kind: K, id: (c: Of<K>) => number): Of<K>[] {
  const byId = new Map<number, Of<K>>();
  for (const change of changes) if (change.kind === kind) byId.set(id(change as Of<K>), change as Of<K>);
  return [...byId.values()];
}

/** Exported for the test that proves a claim does not wait for it. */
export const LOCK_WINDOW_CURSOR_SQL = 'SELECT last_seq FROM windows WHERE id = $1 FOR NO KEY UPDATE';

/**
 * Applies a window's history batch exactly once: the window's row is locked, entries at or below
 * its cursor are skipped (a batch resent after a crash of either side), the rest are upserted by
 * (window, the window's own id) and the cursor moves to `throughSeq`, all in one transaction. The
 * row lock also orders two hub processes that get the same window's batches. It is NO KEY UPDATE:
 * the window's claims and nonces reference its row (KEY SHARE), and must not wait for its batch.
 */
export async function applyHistory(
  db: Db,
  window: AuthedWindow,
  push: HistoryPushRequest,
): Promise<{ lastSeq: number; applied: number }> {
  const client = await db.connect();
  try {
    return await inTransaction(client, async () => {
      const cursor = await client.query<{ last_seq: string }>({
        name: 'history-lock',
        text: LOCK_WINDOW_CURSOR_SQL,
        values: [window.id],
      });
      const lastSeq = Number(cursor.rows[0]?.last_seq ?? 0);
      if (push.throughSeq <= lastSeq) return { lastSeq, applied: 0 };
      const fresh = push.changes.filter((change) => change.seq > lastSeq);
      // Named statements: planned once per connection, not per batch.
      const upsert = async (name: string, sql: string, rows: unknown[]) => {
        if (rows.length > 0) await client.query({ name, text: sql, values: [window.id, JSON.stringify(rows)] });
      };

      await upsert(
        'history-operators',
        `INSERT INTO operators (window_id, operator_id, staff_no, name, role, disabled)
         SELECT $1, r.id, r."staffNo", r.name, r.role, r.disabled
           FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "staffNo" text, name text, role text, disabled boolean)
         ON CONFLICT (window_id, operator_id) DO UPDATE
           SET staff_no = EXCLUDED.staff_no, name = EXCLUDED.name, role = EXCLUDED.role, disabled = EXCLUDED.disabled`,
        latest(fresh, 'operator', (c) => c.operator.id).map((c) => c.operator),
      );
      await upsert(
        'history-shifts',
        `INSERT INTO shifts (window_id, shift_id, operator_no, opened_at, closed_at, close_kind, report)
         SELECT $1, r.id, r."operatorNo", to_timestamp(r."openedAtMs" / 1000.0), to_timestamp(r."closedAtMs" / 1000.0),
                r."closeKind", r.report::jsonb
           FROM jsonb_to_recordset($2::jsonb)
                AS r(id bigint, "operatorNo" text, "openedAtMs" bigint, "closedAtMs" bigint, "closeKind" text, report text)
         ON CONFLICT (window_id, shift_id) DO UPDATE
           SET operator_no = EXCLUDED.operator_no, closed_at = EXCLUDED.closed_at, close_kind = EXCLUDED.close_kind,
               report = EXCLUDED.report`,
        latest(fresh, 'shift', (c) => c.shift.id).map((c) => c.shift),
      );
      await upsert(
        'history-scans',
        `INSERT INTO scans (window_id, scan_id, scanned_at, outcome, masked_code, product, operator, source, credential_kind,
                            order_id, project_id, verdict, reason, site_claim, shift_id, people, amount_fen, queue_state,
                            tries, last_reason, seq, updated_at)
         SELECT $1, r.id::text, to_timestamp(r."scannedAtMs" / 1000.0), r.outcome, r."maskedCode", r.product, r."operatorNo",
                r.source, r."credentialKind", r."orderId", r."projectId", r.verdict, r.reason, r."siteClaim", r."shiftId",
                r.people, r."amountFen", r."queueState", r.tries, r."lastReason", r.seq, now()
           FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "scannedAtMs" bigint, outcome text, "maskedCode" text,
                product text, "operatorNo" text, source text, "credentialKind" text, "orderId" text, "projectId" text,
                verdict text, reason text, "siteClaim" text, "shiftId" bigint, people int, "amountFen" bigint,
                "queueState" text, tries int, "lastReason" text, seq bigint)
         ON CONFLICT (window_id, scan_id) DO UPDATE
           SET outcome = EXCLUDED.outcome, product = EXCLUDED.product, verdict = EXCLUDED.verdict, reason = EXCLUDED.reason,
               site_claim = EXCLUDED.site_claim, people = EXCLUDED.people, amount_fen = EXCLUDED.amount_fen,
               queue_state = EXCLUDED.queue_state, tries = EXCLUDED.tries, last_reason = EXCLUDED.last_reason,
               seq = EXCLUDED.seq, updated_at = now()`,
        latest(fresh, 'scan', (c) => c.scan.id).map((c) => ({ ...c.scan, seq: c.seq })),
      );
      await upsert(
        'history-scan-attempts',
        `INSERT INTO scan_attempts (window_id, attempt_id, scan_id, started_at, finished_at, outcome, reached, error_code,
                                    http_status, logid)
         SELECT $1, r.id, r."scanId"::text, to_timestamp(r."startedAtMs" / 1000.0), to_timestamp(r."finishedAtMs" / 1000.0),
                r.outcome, r.reached, r."errorCode", r."httpStatus", r.logid
           FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "scanId" bigint, "startedAtMs" bigint, "finishedAtMs" bigint,
                outcome text, reached boolean, "errorCode" int, "httpStatus" int, logid text)
         ON CONFLICT (window_id, attempt_id) DO NOTHING`,
        latest(fresh, 'attempt', (c) => c.attempt.id).map((c) => c.attempt),
      );
      await client.query({
        name: 'history-cursor',
        text: 'UPDATE windows SET last_seq = $2, last_push_at = now(), version = coalesce($3, version) WHERE id = $1',
        values: [window.id, push.throughSeq, push.version ?? null],
      });
      return { lastSeq: push.throughSeq, applied: fresh.length };
    });
  } finally {
    client.release();
  }
}
