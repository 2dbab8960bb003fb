import { z } from 'zod';
import { OutboxState, ScanRecord, ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import { MAX_SCHEDULED_DELAY_MS } from './backoff';
import { INTERRUPTED_OUTCOME, MAY_HAVE_REACHED_SQL } from './scan-outcome';

/** What the scan path writes for one scan; the outbox part is absent when no request is made. */
export interface NewScan {
  at: number;
  source: ScanSource;
  credentialKind: string;
  credentialKey: string;
  credentialDisplay: string;
  orderId: string | null;
  projectId: string | null;
  projectName: string | null;
  verdict: Verdict;
  reason: VerdictReason;
  douyinMessage?: string | undefined;
  staff: string;
  /** The signed-in operator's 工号 and shift (operators issue); absent for writers that predate them. */
  operatorNo?: string;
  shiftId?: number | null;
  windowName: string;
  poiId: string | null;
  /** Coupons: people entering (certificates chosen) and what they paid, in fen. */
  people?: number | undefined;
  amountFen?: number | undefined;
  /** With a site hub: claimed there first, or not (the hub was away) and to be claimed later. */
  siteClaim?: 'claimed' | 'unclaimed' | undefined;
}

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

/** A trip-ticket verify, or a Douyin-code coupon verify (see migration 0005). */
export const OutboxKind = z.enum(['trip', 'coupon']);
export type OutboxKind = z.infer<typeof OutboxKind>;

export const OutboxRow = z.object({
  id: z.number().int(),
  scan_id: z.number().int(),
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

const ScanRecordRow = z
  .object({
    id: z.number().int(),
    scanned_at: z.number().int(),
    source: ScanSource,
    credential_display: z.string(),
    order_id: z.string().nullable(),
    project_name: z.string().nullable(),
    verdict: Verdict,
    reason: VerdictReason,
    state: OutboxState.nullable(),
  })
  .transform((r): ScanRecord => ({
    id: r.id,
    at: r.scanned_at,
    source: r.source,
    credentialDisplay: r.credential_display,
    orderId: r.order_id,
    projectName: r.project_name,
    verdict: r.verdict,
    reason: r.reason,
    state: r.state,
  }));

const SCAN_RECORD_SELECT = `
  SELECT s.id, s.scanned_at, s.source, s.credential_display, s.order_id, s.project_name,
         s.verdict, s.reason, o.state
  FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id`;

/** Every SQL statement of the scan path and the outbox, prepared once. */
export class OutboxRepository {
  private readonly stmts;
  /**
   * Built once: better-sqlite3 makes five wrapper functions per transaction() call, which per scan
   * cost more than the two inserts' own CPU work.
   */
  private readonly recordTx;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertScan: db.prepare(`INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display,
          order_id, project_id, project_name, verdict, reason, douyin_message, staff, window_name, poi_id, people, amount_fen,
          operator_no, shift_id, site_claim)
        VALUES (@at, @source, @credentialKind, @credentialKey, @credentialDisplay, @orderId, @projectId, @projectName,
          @verdict, @reason, @douyinMessage, @staff, @windowName, @poiId, @people, @amountFen, @operatorNo, @shiftId, @siteClaim)`),
      insertOutbox: db.prepare(`INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state,
          next_attempt_at, created_at, updated_at, kind)
        VALUES (@scanId, @orderId, @verifyToken, @verifyTime, @request, @state, @at, @at, @at, @kind)`),
      certificateVerified: db.prepare(`UPDATE coupon_certificates SET verify_id = @verifyId, verified_at = @at
          WHERE scan_id = @scanId AND certificate_id = @certificateId`),
      claim: db.prepare(`UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'queued'`),
      finish: db.prepare(`UPDATE outbox SET state = @state, tries = @tries, next_attempt_at = @nextAttemptAt,
          last_reason = @lastReason, updated_at = @at, request = COALESCE(@request, request) WHERE id = @id`),
      insertAttempt: db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, error_code,
          http_status, logid, message) VALUES (@outboxId, @startedAt, @finishedAt, @outcome, @reached, @errorCode,
          @httpStatus, @logid, @message)`),
      setVerdict: db.prepare(`UPDATE scans SET verdict = @verdict, reason = @reason, douyin_message = @douyinMessage
          WHERE id = @id`),
      due: db.prepare(`SELECT id, scan_id, order_id, verify_token, verify_time, request, state, tries, next_attempt_at, kind
          FROM outbox WHERE state = 'queued' AND (next_attempt_at <= @now OR next_attempt_at > @now + @maxDelay)
          ORDER BY next_attempt_at, id LIMIT @limit`),
      nextDue: db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'queued'`),
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
      mayHaveReached: db.prepare(`SELECT EXISTS (SELECT 1 FROM attempts WHERE outbox_id = ? AND ${MAY_HAVE_REACHED_SQL}) AS yes`),
      lastContact: db.prepare(`SELECT finished_at FROM attempts WHERE reached = 1 ORDER BY id DESC LIMIT 1`),
      resetSending: db.prepare(`UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'sending'`),
      noteInterrupted: db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, message)
          SELECT id, @now, @now, '${INTERRUPTED_OUTCOME}', 0, 'in flight when the app stopped' FROM outbox WHERE state = 'sending'`),
      health: db.prepare(`SELECT
          COUNT(*) FILTER (WHERE state IN ('queued','sending')) AS queued,
          COUNT(*) FILTER (WHERE state = 'needs_attention') AS needs_attention,
          MIN(created_at) FILTER (WHERE state IN ('queued','sending')) AS oldest
        FROM outbox WHERE state IN ('queued','sending','needs_attention')`),
      recent: db.prepare(`${SCAN_RECORD_SELECT} ORDER BY s.id DESC LIMIT ?`),
      record: db.prepare(`${SCAN_RECORD_SELECT} WHERE s.id = ?`),
      lastForCredential: db.prepare(`SELECT s.id, s.scanned_at FROM scans s
          WHERE s.credential_key = @key AND s.scanned_at >= @since AND s.scanned_at <= @until ORDER BY s.id DESC LIMIT 1`),
      usedBefore: db.prepare(`SELECT s.scanned_at AS at, s.window_name AS windowName FROM scans s
          JOIN outbox o ON o.scan_id = s.id
          WHERE s.order_id = @orderId AND (s.project_id IS @projectId OR s.project_id IS NULL OR @projectId IS NULL)
            AND o.state IN ('queued','sending','verified')
          ORDER BY s.id LIMIT 1`),
    };
    this.recordTx = db.transaction((scan: NewScan, item?: NewOutboxItem): { scanId: number; outboxId: number | null } => {
      const scanId = Number(
        this.stmts.insertScan.run({
          ...scan,
          douyinMessage: scan.douyinMessage ?? null,
          people: scan.people ?? null,
          amountFen: scan.amountFen ?? null,
          operatorNo: scan.operatorNo ?? '',
          shiftId: scan.shiftId ?? null,
          siteClaim: scan.siteClaim ?? null,
        }).lastInsertRowid,
      );
      if (!item) return { scanId, outboxId: null };
      const outboxId = Number(this.stmts.insertOutbox.run({ kind: 'trip', ...item, scanId, at: scan.at }).lastInsertRowid);
      return { scanId, outboxId };
    });
  }

  /** The scan and its request commit together, or neither does. */
  recordScan(scan: NewScan, item?: NewOutboxItem): { scanId: number; outboxId: number | null } {
    return this.recordTx(scan, item);
  }

  claim(id: number, now: number): boolean {
    return this.stmts.claim.run(now, id).changes === 1;
  }

  /** One attempt's result: the attempt, the item's new state and, if given, the scan's answer. */
  finishAttempt(
    id: number,
    attempt: AttemptRecord,
    next: { state: OutboxState; tries: number; nextAttemptAt: number; lastReason: string | null },
    verdict?: { scanId: number; verdict: Verdict; reason: VerdictReason; douyinMessage?: string | undefined },
    /** The request rewritten once it is done (personal data wiped). */
    finalRequest?: string,
    /** A coupon verify's certificates, with the verify_id each undo needs. */
    certificates?: readonly { certificateId: string; verifyId: string }[],
  ): void {
    this.db.transaction(() => {
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
      this.stmts.finish.run({ id, at: attempt.finishedAt, ...next, request: finalRequest ?? null });
      if (verdict) {
        this.stmts.setVerdict.run({
          id: verdict.scanId,
          verdict: verdict.verdict,
          reason: verdict.reason,
          douyinMessage: verdict.douyinMessage ?? null,
        });
      }
      if (certificates?.length) {
        const scanId = (this.stmts.byId.get(id) as { scan_id: number }).scan_id;
        for (const c of certificates) this.stmts.certificateVerified.run({ ...c, scanId, at: attempt.finishedAt });
      }
    })();
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
    return (this.stmts.mayHaveReached.get(outboxId) as { yes: number }).yes === 1;
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
      .prepare(`SELECT id, request FROM outbox WHERE state IN ('queued','sending') AND request LIKE '%sealed:v1:%'`)
      .all() as { id: number; request: string }[];
  }

  /** An item that can never be sent as stored: out of the queue, to the supervisor, with why. */
  setAside(id: number, reason: string, now: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'needs_attention', last_reason = ?, updated_at = ? WHERE id = ? AND state IN ('queued','sending')`,
      )
      .run(reason, now, id);
  }

  health(): { queued: number; needsAttention: number; oldestQueuedAt: number | null } {
    const r = this.stmts.health.get() as { queued: number; needs_attention: number; oldest: number | null };
    return { queued: r.queued, needsAttention: r.needs_attention, oldestQueuedAt: r.oldest };
  }

  recent(limit: number): ScanRecord[] {
    return this.stmts.recent.all(limit).map((r) => ScanRecordRow.parse(r));
  }

  record(scanId: number): ScanRecord | undefined {
    const row = this.stmts.record.get(scanId);
    return row === undefined ? undefined : ScanRecordRow.parse(row);
  }

  /**
   * The last scan of this credential between `since` and `until`, for the duplicate-scan guard.
   * Bounded above because after the wall clock goes back, a scan stamped "later" is no repeat of
   * this one; the already-used rule judges it instead.
   */
  lastScanOf(credentialKey: string, since: number, until: number): { id: number; scanned_at: number } | undefined {
    return this.stmts.lastForCredential.get({ key: credentialKey, since, until }) as
      { id: number; scanned_at: number } | undefined;
  }

  /** When and where this order (or project of it) was first verified or accepted for verifying. */
  usedBefore(orderId: string, projectId: string | null): { at: number; windowName: string } | undefined {
    return this.stmts.usedBefore.get({ orderId, projectId }) as { at: number; windowName: string } | undefined;
  }
}
