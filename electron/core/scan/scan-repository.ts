import { z } from 'zod';
import { OutboxState, ScanRecord, ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import type { NewOutboxItem, OutboxRepository } from '../outbox/repository';
import { HOLDS_TICKET_STATES } from '../outbox/scan-outcome';

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

/** The answer a scan's staff are shown, written when Douyin's answer arrives. */
export interface ScanVerdict {
  scanId: number;
  verdict: Verdict;
  reason: VerdictReason;
  douyinMessage?: string | undefined;
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

/**
 * Owns `scans`: what was presented, when, by whom, and the answer the staff saw. A scan that
 * makes a request adds its outbox item inside the same transaction (the outbox repository's
 * `enqueue`), so the two commit together or not at all.
 */
export class ScanRepository {
  private readonly stmts;
  /**
   * Built once: better-sqlite3 makes five wrapper functions per transaction() call, which per scan
   * cost more than the two inserts' own CPU work.
   */
  private readonly recordTx;

  constructor(
    db: Db,
    private readonly outbox: OutboxRepository,
  ) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display,
          order_id, project_id, project_name, verdict, reason, douyin_message, staff, window_name, poi_id, people, amount_fen,
          operator_no, shift_id, site_claim)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      verifyId: db.prepare(`INSERT OR IGNORE INTO scan_verify_ids (scan_id, verify_id, certificate_id)
          VALUES (@scanId, @verifyId, @certificateId)`),
      setVerdict: db.prepare(`UPDATE scans SET verdict = @verdict, reason = @reason, douyin_message = @douyinMessage
          WHERE id = @id`),
      recent: db.prepare(`${SCAN_RECORD_SELECT} ORDER BY s.id DESC LIMIT ?`),
      // Newest first by scans_operator_at; the id breaks a tie of two scans in one millisecond.
      recentOf: db.prepare(`${SCAN_RECORD_SELECT} WHERE s.operator_no = ? ORDER BY s.scanned_at DESC, s.id DESC LIMIT ?`),
      record: db.prepare(`${SCAN_RECORD_SELECT} WHERE s.id = ?`),
      admitOffline: db.prepare(`UPDATE scans SET verdict = 'offline', reason = 'coupon_offline_admitted', people = @people,
          site_claim = @siteClaim WHERE id = @id`),
      couponPrepared: db.prepare(`UPDATE scans SET order_id = @orderId, project_name = @projectName, people = @people,
          amount_fen = @amountFen, reason = COALESCE(@reason, reason), douyin_message = COALESCE(@douyinMessage, douyin_message)
          WHERE id = @id`),
      lastForCredential: db.prepare(`SELECT s.id, s.scanned_at FROM scans s
          WHERE s.credential_key = @key AND s.scanned_at >= @since AND s.scanned_at <= @until ORDER BY s.id DESC LIMIT 1`),
      usedBefore: db.prepare(`SELECT s.scanned_at AS at, s.window_name AS windowName FROM scans s
          JOIN outbox o ON o.scan_id = s.id
          WHERE s.order_id = @orderId AND (s.project_id IS @projectId OR s.project_id IS NULL OR @projectId IS NULL)
            AND o.state IN ${HOLDS_TICKET_STATES}
          ORDER BY s.id LIMIT 1`),
    };
    this.recordTx = db.transaction((scan: NewScan, item?: NewOutboxItem): { scanId: number; outboxId: number | null } => {
      const scanId = Number(
        // Bound by position: per scan, binding 19 names cost more CPU than the insert itself.
        this.stmts.insert.run(
          scan.at,
          scan.source,
          scan.credentialKind,
          scan.credentialKey,
          scan.credentialDisplay,
          scan.orderId,
          scan.projectId,
          scan.projectName,
          scan.verdict,
          scan.reason,
          scan.douyinMessage ?? null,
          scan.staff,
          scan.windowName,
          scan.poiId,
          scan.people ?? null,
          scan.amountFen ?? null,
          scan.operatorNo ?? '',
          scan.shiftId ?? null,
          scan.siteClaim ?? null,
        ).lastInsertRowid,
      );
      return { scanId, outboxId: item ? this.outbox.enqueue(scanId, scan.at, item) : null };
    });
  }

  /** The scan and its request commit together, or neither does. */
  record(scan: NewScan, item?: NewOutboxItem): { scanId: number; outboxId: number | null } {
    return this.recordTx(scan, item);
  }

  /** Run inside the attempt's transaction (OutboxRepository.finishAttempt's `alongside`). */
  setVerdict(answer: ScanVerdict): void {
    this.stmts.setVerdict.run({
      id: answer.scanId,
      verdict: answer.verdict,
      reason: answer.reason,
      douyinMessage: answer.douyinMessage ?? null,
    });
  }

  /**
   * A coupon scanned while Douyin was away, admitted on the staff's count: its request is queued
   * in the same transaction (the caller's, with the offline admission's own row).
   */
  admitOffline(scanId: number, at: number, people: number, siteClaim: NewScan['siteClaim'], item: NewOutboxItem): number {
    this.stmts.admitOffline.run({ id: scanId, people, siteClaim: siteClaim ?? null });
    return this.outbox.enqueue(scanId, at, item);
  }

  /**
   * What the later prepare of an offline-admitted coupon found: the order, product, certificates
   * chosen and their amount, and (a conflict) why fewer than admitted could be verified. Inside the
   * prepare attempt's transaction.
   */
  couponPrepared(
    scanId: number,
    found: { orderId: string; projectName: string | null; people: number; amountFen: number },
    conflict?: { reason: VerdictReason; douyinMessage: string },
  ): void {
    this.stmts.couponPrepared.run({
      id: scanId,
      ...found,
      reason: conflict?.reason ?? null,
      douyinMessage: conflict?.douyinMessage ?? null,
    });
  }

  /** A verified trip ticket's verify ids (for its slip); inside the attempt's transaction. */
  tripVerifyIds(scanId: number, ids: readonly { verifyId: string; certificateId?: string | undefined }[]): void {
    for (const id of ids) this.stmts.verifyId.run({ scanId, verifyId: id.verifyId, certificateId: id.certificateId ?? null });
  }

  /** The newest scans: of one operator (工号) when given, else of the window. */
  recent(limit: number, operatorNo?: string): ScanRecord[] {
    const rows = operatorNo === undefined ? this.stmts.recent.all(limit) : this.stmts.recentOf.all(operatorNo, limit);
    return rows.map((r) => ScanRecordRow.parse(r));
  }

  get(scanId: number): ScanRecord | undefined {
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
