import { randomUUID } from 'node:crypto';
import type { CouponUndoView, ScanRecord } from '../../../shared/domain/scan';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import { UNDO_WINDOW_MS, type CouponCancelItem } from '../outbox/coupon-canceller';

interface CertificateRow {
  certificate_id: string;
  encrypted_code: string;
  verify_id: string | null;
  verified_at: number | null;
  undone_at: number | null;
}

interface SummaryRow {
  scan_id: number;
  first_verified: number | null;
  undone: number;
  undoable: number;
}

interface UndoRow {
  scan_id: number;
  outbox_id: number;
  reason: string;
  operator_no: string;
  requested_at: number;
  state: string;
  last_reason: string | null;
}

/** How often a waiting undo looks whether Douyin has answered. */
const SETTLE_POLL_MS = 25;

/**
 * 撤销核销: a supervisor undoes a verified coupon within the hour Douyin allows. The undo is an
 * outbox item of its own kind ('coupon_cancel', migration 0008), written with who asked and why
 * before anything is sent, so it survives a restart and waits out a dead network like a verify.
 * Past the hour it is refused here; sooner, Douyin's refusal is the truth.
 */
export class CouponUndos {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.stmts = {
      scan: db.prepare(`SELECT s.order_id, o.kind, o.state FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = ?`),
      certificates: db.prepare(`SELECT certificate_id, encrypted_code, verify_id, verified_at, undone_at
          FROM coupon_certificates WHERE scan_id = ? ORDER BY certificate_id`),
      open: db.prepare(`SELECT 1 FROM coupon_undos u JOIN outbox o ON o.id = u.outbox_id
          WHERE u.scan_id = ? AND o.state IN ('queued','sending','needs_attention')`),
      insertItem: db.prepare(`INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at,
          created_at, updated_at, kind) VALUES (NULL, @orderId, @token, @verifyTime, @request, 'queued', @at, @at, @at, 'coupon_cancel')`),
      insertUndo: db.prepare(`INSERT INTO coupon_undos (outbox_id, scan_id, requested_at, operator_no, reason)
          VALUES (@outboxId, @scanId, @at, @operatorNo, @reason)`),
      state: db.prepare(`SELECT state, last_reason FROM outbox WHERE id = ?`),
      scanOf: db.prepare(`SELECT scan_id FROM coupon_undos WHERE outbox_id = ?`),
      summaries: db.prepare(`SELECT scan_id, MIN(verified_at) AS first_verified,
            COUNT(*) FILTER (WHERE undone_at IS NOT NULL) AS undone,
            COUNT(*) FILTER (WHERE verified_at IS NOT NULL AND verify_id IS NOT NULL AND undone_at IS NULL) AS undoable
          FROM coupon_certificates WHERE scan_id IN (SELECT value FROM json_each(?)) GROUP BY scan_id`),
      undos: db.prepare(`SELECT u.scan_id, u.outbox_id, u.reason, u.operator_no, u.requested_at, o.state, o.last_reason
          FROM coupon_undos u JOIN outbox o ON o.id = u.outbox_id
          WHERE u.scan_id IN (SELECT value FROM json_each(?)) ORDER BY u.outbox_id`),
    };
  }

  /**
   * Writes the undo of every certificate this scan verified and has not undone yet, in one
   * transaction: refused when the scan is no verified coupon, an undo is already open, or the
   * hour since the verify is over. The caller wakes the worker and audits.
   */
  request(scanId: number, reason: string, operatorNo: string): { outboxId: number; orderId: string; certificates: number } {
    return this.db.transaction(() => {
      const scan = this.stmts.scan.get(scanId) as
        { order_id: string | null; kind: string | null; state: string | null } | undefined;
      if (!scan) throw new RouteError('not_found', `no scan ${scanId}`);
      if (scan.kind !== 'coupon' || scan.state !== 'verified' || scan.order_id === null) {
        throw new RouteError('conflict', `scan ${scanId} is no verified coupon`, 'sup.error.undoNotVerified');
      }
      if (this.stmts.open.get(scanId)) {
        throw new RouteError('conflict', `an undo of scan ${scanId} is already open`, 'sup.error.undoOpen');
      }
      const targets = (this.stmts.certificates.all(scanId) as CertificateRow[]).filter(
        (c) => c.verify_id !== null && c.verified_at !== null && c.undone_at === null,
      );
      if (targets.length === 0) {
        throw new RouteError('conflict', `scan ${scanId} has no certificate to undo`, 'sup.error.undoNotVerified');
      }
      const deadline = Math.min(...targets.map((c) => c.verified_at!)) + UNDO_WINDOW_MS;
      const at = this.now();
      if (at > deadline) throw new RouteError('conflict', `the hour to undo scan ${scanId} is over`, 'sup.error.undoExpired');
      const item: CouponCancelItem = {
        scanId,
        deadline,
        certificates: targets.map((c) => ({
          certificateId: c.certificate_id,
          verifyId: c.verify_id!,
          encryptedCode: c.encrypted_code,
        })),
      };
      const outboxId = Number(
        this.stmts.insertItem.run({
          orderId: scan.order_id,
          // Never sent: the column is the verify's idempotency key, unique per item.
          token: `cancel-${randomUUID()}`,
          verifyTime: Math.floor(at / 1000),
          request: JSON.stringify(item),
          at,
        }).lastInsertRowid,
      );
      this.stmts.insertUndo.run({ outboxId, scanId, at, operatorNo, reason });
      return { outboxId, orderId: scan.order_id, certificates: targets.length };
    })();
  }

  /** The scan an undo item undoes. */
  scanOf(outboxId: number): number | undefined {
    return (this.stmts.scanOf.get(outboxId) as { scan_id: number } | undefined)?.scan_id;
  }

  /**
   * Waits, at most `budgetMs`, for Douyin's answer to an undo, so the supervisor usually sees the
   * result at once; a dead network leaves it queued, which the answer then says.
   */
  async settled(outboxId: number, budgetMs: number): Promise<{ state: string; lastReason: string | null }> {
    const deadline = performance.now() + budgetMs;
    for (;;) {
      const row = this.stmts.state.get(outboxId) as { state: string; last_reason: string | null };
      const done = row.state !== 'queued' && row.state !== 'sending';
      if (done || performance.now() >= deadline) return { state: row.state, lastReason: row.last_reason };
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  /** The staff's recent list: each verified coupon carries its undo, as history shows it. */
  annotate(records: readonly ScanRecord[]): ScanRecord[] {
    const views = this.views(records.filter((r) => r.state === 'verified').map((r) => r.id));
    return records.map((r) => {
      const view = views.get(r.id);
      return view ? { ...r, couponUndo: view.undo } : r;
    });
  }

  /** History's undo column for these coupon scans. */
  views(scanIds: readonly number[]): Map<number, { undone: number; undo: CouponUndoView }> {
    const result = new Map<number, { undone: number; undo: CouponUndoView }>();
    if (scanIds.length === 0) return result;
    const ids = JSON.stringify(scanIds);
    const latest = new Map<number, UndoRow>();
    for (const u of this.stmts.undos.all(ids) as UndoRow[]) latest.set(u.scan_id, u);
    const now = this.now();
    for (const c of this.stmts.summaries.all(ids) as SummaryRow[]) {
      const undo = latest.get(c.scan_id);
      const deadline = c.first_verified === null ? null : c.first_verified + UNDO_WINDOW_MS;
      result.set(c.scan_id, {
        undone: c.undone,
        undo: {
          deadline,
          state: stateOf(c, undo, deadline, now),
          reason: undo?.reason ?? null,
          operatorNo: undo?.operator_no ?? null,
          requestedAt: undo?.requested_at ?? null,
          lastReason: undo?.last_reason ?? null,
        },
      });
    }
    return result;
  }
}

function stateOf(c: SummaryRow, undo: UndoRow | undefined, deadline: number | null, now: number): CouponUndoView['state'] {
  if (undo?.state === 'queued' || undo?.state === 'sending') return 'pending';
  if (c.undone > 0 && c.undoable === 0) return 'undone';
  if (undo?.state === 'needs_attention') return 'needs_attention';
  if (undo?.state === 'rejected') return 'refused';
  if (c.undoable === 0 || deadline === null) return 'unavailable';
  return now > deadline ? 'expired' : 'undoable';
}
