import { z } from 'zod';
import { OutboxState } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import { MAX_SCHEDULED_DELAY_MS } from './backoff';
import { PREPARED_OUTCOME } from './offline-coupon-item';
import { INTERRUPTED_OUTCOME, MAY_HAVE_REACHED_SQL, OPEN_STATES, PENDING_STATES } from './scan-outcome';

export interface NewOutboxItem {
  orderId: string;
  verifyToken: string;
  /** Unix seconds of the scan itself: the sync, however late, reports this time. */
  verifyTime: number;
  request: string;
  /** The scan path sends at once, so it writes the row as already claimed. */
  state: 'queued' | 'sending';
  kind?: OutboxKind;
}

/**
 * A trip-ticket verify, a Douyin-code coupon verify (migration 0005), or the undo of a verified
 * coupon (migration 0008: no scan of its own, coupon_undos names the scan it undoes).
 */
const OutboxKind = z.enum(['trip', 'coupon', 'coupon_cancel']);
type OutboxKind = z.infer<typeof OutboxKind>;

export const OutboxRow = z.object({
  id: z.number().int(),
  /** null for an undo (kind 'coupon_cancel'). */
  scan_id: z.number().int().nullable(),
  order_id: z.string(),
  verify_token: z.string(),
  verify_time: z.number().int(),
  request: z.string(),
  state: OutboxState,
  tries: z.number().int(),
  next_attempt_at: z.number().int(),
  kind: OutboxKind,
});
export type OutboxRow = z.infer<typeof OutboxRow>;

/**
 * The staff's health line, read from the partial index of open items alone (migration 0012):
 * its WHERE must stay `state IN OPEN_STATES` for SQLite to use that index.
 */
export const HEALTH_SQL = `SELECT
    COUNT(*) FILTER (WHERE state IN ${PENDING_STATES}) AS queued,
    COUNT(*) FILTER (WHERE state = 'needs_attention') AS needs_attention,
    MIN(created_at) FILTER (WHERE state IN ${PENDING_STATES}) AS oldest
  FROM outbox WHERE state IN ${OPEN_STATES}`;

export interface AttemptRecord {
  startedAt: number;
  finishedAt: number;
  outcome: string;
  reached: boolean;
  errorCode?: number | undefined;
  httpStatus?: number | undefined;
  logid?: string | undefined;
  message?: string | undefined;
}

/**
 * Owns `outbox` and `attempts`: every SQL statement of the queue, prepared once. The scans are
 * the scan repository's; what is written beside an attempt (the scan's verdict, a coupon's
 * verify_ids) is the caller's, run inside the attempt's transaction.
 */
export class OutboxRepository {
  private readonly stmts;
  private readonly finishTx;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertOutbox: db.prepare(`INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state,
          next_attempt_at, created_at, updated_at, kind)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      undoneOf: db.prepare(`SELECT c.certificate_id FROM coupon_certificates c JOIN coupon_undos u ON u.scan_id = c.scan_id
          WHERE u.outbox_id = ? AND c.undone_at IS NOT NULL`),
      claim: db.prepare(`UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'queued'`),
      finish: db.prepare(`UPDATE outbox SET state = @state, tries = @tries, next_attempt_at = @nextAttemptAt,
          last_reason = @lastReason, updated_at = @at, request = COALESCE(@request, request),
          order_id = COALESCE(@orderId, order_id) WHERE id = @id`),
      insertAttempt: db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, error_code,
          http_status, logid, message) VALUES (@outboxId, @startedAt, @finishedAt, @outcome, @reached, @errorCode,
          @httpStatus, @logid, @message)`),
      due: db.prepare(`SELECT id, scan_id, order_id, verify_token, verify_time, request, state, tries, next_attempt_at, kind
          FROM outbox WHERE state = 'queued' AND (next_attempt_at <= @now OR next_attempt_at > @now + @maxDelay)
          ORDER BY next_attempt_at, id LIMIT @limit`),
      nextDue: db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'queued'`),
      tokenOf: db.prepare(`SELECT verify_token FROM outbox WHERE scan_id = ?`),
      byId: db.prepare(`SELECT id, scan_id, order_id, verify_token, verify_time, request, state, tries, next_attempt_at, kind
          FROM outbox WHERE id = ?`),
      releaseOfflineWaits: db.prepare(`UPDATE outbox SET next_attempt_at = @now
          WHERE state = 'queued' AND next_attempt_at > @now
            AND (SELECT reached FROM attempts WHERE outbox_id = outbox.id ORDER BY id DESC LIMIT 1) = 0`),
      oldestQueued:
        db.prepare(`SELECT id, scan_id, order_id, verify_token, verify_time, request, state, tries, next_attempt_at, kind
          FROM outbox WHERE state = 'queued' ORDER BY next_attempt_at, id LIMIT 1`),
      release: db.prepare(`UPDATE outbox SET state = 'queued', next_attempt_at = @at, updated_at = @now
          WHERE id = @id AND state = 'sending'`),
      // Only the attempts of the request as it stands: an offline coupon's prepare attempts (before
      // its 'prepared' one) never sent its verify.
      mayHaveReached: db.prepare(`SELECT EXISTS (SELECT 1 FROM attempts WHERE outbox_id = @id AND ${MAY_HAVE_REACHED_SQL}
          AND id > COALESCE((SELECT MAX(id) FROM attempts WHERE outbox_id = @id AND outcome = '${PREPARED_OUTCOME}'), 0)) AS yes`),
      lastContact: db.prepare(`SELECT finished_at FROM attempts WHERE reached = 1 ORDER BY id DESC LIMIT 1`),
      resetSending: db.prepare(`UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'sending'`),
      noteInterrupted: db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, message)
          SELECT id, @now, @now, '${INTERRUPTED_OUTCOME}', 0, 'in flight when the app stopped' FROM outbox WHERE state = 'sending'`),
      health: db.prepare(HEALTH_SQL),
    }; // Built once, as the scan repository's record: transaction() makes five wrappers per call.
    this.finishTx = db.transaction(
      (
        id: number,
        attempt: AttemptRecord,
        next: { state: OutboxState; tries: number; nextAttemptAt: number; lastReason: string | null },
        finalRequest: string | undefined,
        alongside: (() => void) | undefined,
        orderId: string | undefined,
      ) => {
        this.stmts.insertAttempt.run({
          outboxId: id,
          startedAt: attempt.startedAt,
          finishedAt: attempt.finishedAt,
          outcome: attempt.outcome,
          reached: attempt.reached ? 1 : 0,
          errorCode: attempt.errorCode ?? null,
          httpStatus: attempt.httpStatus ?? null,
          logid: attempt.logid ?? null,
          message: attempt.message ?? null,
        });
        this.stmts.finish.run({ id, at: attempt.finishedAt, ...next, request: finalRequest ?? null, orderId: orderId ?? null });
        alongside?.();
      },
    );
  }

  /**
   * Adds the item for a scan just inserted. Runs inside the caller's transaction (the scan
   * repository's record), so a scan and its request commit together or not at all.
   */
  enqueue(scanId: number, at: number, item: NewOutboxItem): number {
    const { orderId, verifyToken, verifyTime, request, state, kind = 'trip' } = item;
    return Number(
      this.stmts.insertOutbox.run(scanId, orderId, verifyToken, verifyTime, request, state, at, at, at, kind).lastInsertRowid,
    );
  }

  claim(id: number, now: number): boolean {
    return this.stmts.claim.run(now, id).changes === 1;
  }

  /**
   * One attempt's result: the attempt and the item's new state, with `alongside` (the scan's
   * answer, a coupon's verify_ids) in the same transaction.
   */
  finishAttempt(
    id: number,
    attempt: AttemptRecord,
    next: { state: OutboxState; tries: number; nextAttemptAt: number; lastReason: string | null },
    /** The request rewritten: once it is done (personal data wiped), or an offline coupon's once prepared. */
    finalRequest?: string,
    alongside?: () => void,
    /** An offline coupon's order, known once prepared. */
    orderId?: string,
  ): void {
    this.finishTx(id, attempt, next, finalRequest, alongside, orderId);
  }

  /** The verify token of a scan's own request (its site-wide claim is held under it). */
  verifyTokenOf(scanId: number): string | undefined {
    return (this.stmts.tokenOf.get(scanId) as { verify_token: string } | undefined)?.verify_token;
  }

  /** The certificates an undo item has already undone (a retry sends only the rest). */
  undoneBy(outboxId: number): Set<string> {
    return new Set((this.stmts.undoneOf.all(outboxId) as { certificate_id: string }[]).map((r) => r.certificate_id));
  }

  /** Due items; a due time implausibly far ahead is treated as due (the wall clock went back). */
  due(now: number, limit: number): OutboxRow[] {
    return this.stmts.due.all({ now, limit, maxDelay: MAX_SCHEDULED_DELAY_MS }).map((r) => OutboxRow.parse(r));
  }

  nextDueAt(): number | null {
    return (this.stmts.nextDue.get() as { at: number | null }).at;
  }

  get(id: number): OutboxRow | undefined {
    const row = this.stmts.byId.get(id);
    return row === undefined ? undefined : OutboxRow.parse(row);
  }

  /**
   * Douyin answered again: what was only waiting out a dead network is due now. Items backing off
   * after a real answer from Douyin keep their schedule.
   */
  releaseOfflineWaits(now: number): number {
    return this.stmts.releaseOfflineWaits.run({ now }).changes;
  }

  /** The probe when the network may be back: the oldest waiting item, due or not. */
  oldestQueued(): OutboxRow | undefined {
    const row = this.stmts.oldestQueued.get();
    return row === undefined ? undefined : OutboxRow.parse(row);
  }

  /** An attempt that could not be recorded (disk full): back to the queue, same token, later. */
  release(id: number, now: number, at: number): void {
    this.stmts.release.run({ id, now, at });
  }

  /**
   * When Douyin last answered anything, from the attempts on disk, so the staff's health line is
   * right straight after a restart. Attempts are appended in time order: walking back by id
   * stops at the first answered one.
   */
  lastContact(): number | null {
    const row = this.stmts.lastContact.get() as { finished_at: number } | undefined;
    return row?.finished_at ?? null;
  }

  /** Whether any recorded attempt of this item may have reached Douyin (see MAY_HAVE_REACHED_SQL). */
  mayHaveReachedDouyin(outboxId: number): boolean {
    return (this.stmts.mayHaveReached.get({ id: outboxId }) as { yes: number }).yes === 1;
  }

  /** At start-up: a request that was in flight when the process died goes back to the queue. */
  requeueInterrupted(now: number): number {
    // The request may have left before the process died: the attempt says so, so that Douyin's
    // "already verified" to the retry counts as our own success, not as a ticket used elsewhere.
    return this.db.transaction(() => {
      this.stmts.noteInterrupted.run({ now });
      return this.stmts.resetSending.run(now).changes;
    })();
  }

  /** Requests not yet finished that carry a sealed ID number (for the lost-key recovery). */
  unfinishedSealed(): { id: number; request: string }[] {
    return this.db
      .prepare(`SELECT id, request FROM outbox WHERE state IN ${PENDING_STATES} AND request LIKE '%sealed:v1:%'`)
      .all() as { id: number; request: string }[];
  }

  /** An item that can never be sent as stored: out of the queue, to the supervisor, with why. */
  setAside(id: number, reason: string, now: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'needs_attention', last_reason = ?, updated_at = ? WHERE id = ? AND state IN ${PENDING_STATES}`,
      )
      .run(reason, now, id);
  }

  health(): { queued: number; needsAttention: number; oldestQueuedAt: number | null } {
    const r = this.stmts.health.get() as { queued: number; needs_attention: number; oldest: number | null };
    return { queued: r.queued, needsAttention: r.needs_attention, oldestQueuedAt: r.oldest };
  }
}
