import type { Db } from '../db/connection';
import { PRUNABLE_SQL } from '../outbox/scan-outcome';
import { businessDate } from '../../../shared/time';

/** ~0.1-0.25 ms of work per scan (a row in eleven indexes, its outbox row and attempts): a batch holds the loop ≤ ~0.1 s. */
const BATCH = 500;
const DAY_MS = 86_400_000;

export interface PruneResult {
  scans: number;
  voucherOrders: number;
}

/** One batch of finished scans older than the cutoff, with their outbox rows (a bench reads its plan). */
export const PRUNE_PICK_SQL = `
    SELECT s.id AS scan_id, o.id AS outbox_id FROM scans s
    LEFT JOIN outbox o ON o.scan_id = s.id
    WHERE s.scanned_at < @cutoff
      AND ${PRUNABLE_SQL}
      AND NOT EXISTS (SELECT 1 FROM coupon_undos u JOIN outbox uo ON uo.id = u.outbox_id
        WHERE u.scan_id = s.id AND uo.state IN ('queued','sending','needs_attention'))
    LIMIT @limit`;

/**
 * Forgets history older than the supervisor's retention period (personal data is kept no longer
 * than needed). Only what is finished goes: a scan without a request, or whose request was
 * verified, refused by Douyin, or marked handled. Anything still to be sent or looked at stays
 * whatever its age. Small batches, each its own transaction, with the event loop's turn between
 * them: the core answers scans on this loop, and a backlog (the first run after a shorter period
 * was set: three million scans at 5M) took the loop for the better part of an hour in one go.
 * `keepGoing` is asked before each batch (false once the core is closing).
 */
export async function pruneHistory(
  db: Db,
  retentionDays: number,
  now: number,
  keepGoing: () => boolean = () => true,
): Promise<PruneResult> {
  const cutoff = now - retentionDays * DAY_MS;
  const pick = db.prepare(PRUNE_PICK_SQL);
  // A coupon scan's certificates, prepare, offline admission and undo items go with it (they reference the scan).
  const undosOf = db.prepare(`SELECT outbox_id FROM coupon_undos WHERE scan_id = ?`);
  const delUndo = db.prepare(`DELETE FROM coupon_undos WHERE outbox_id = ?`);
  const delCoupons = db.prepare(`DELETE FROM coupon_certificates WHERE scan_id = ?`);
  const delPrepares = db.prepare(`DELETE FROM coupon_prepares WHERE scan_id = ?`);
  const delOffline = db.prepare(`DELETE FROM coupon_offline_admissions WHERE scan_id = ?`);
  const delAttempts = db.prepare(`DELETE FROM attempts WHERE outbox_id = ?`);
  const delResolutions = db.prepare(`DELETE FROM outbox_resolutions WHERE outbox_id = ?`);
  const delOutbox = db.prepare(`DELETE FROM outbox WHERE id = ?`);
  const delScan = db.prepare(`DELETE FROM scans WHERE id = ?`);
  const batch = db.transaction(() => {
    const rows = pick.all({ cutoff, limit: BATCH }) as { scan_id: number; outbox_id: number | null }[];
    for (const { scan_id, outbox_id } of rows) {
      if (outbox_id !== null) {
        delAttempts.run(outbox_id);
        delResolutions.run(outbox_id);
        delOutbox.run(outbox_id);
      }
      for (const { outbox_id: undo } of undosOf.all(scan_id) as { outbox_id: number }[]) {
        delUndo.run(undo);
        delAttempts.run(undo);
        delResolutions.run(undo);
        delOutbox.run(undo);
      }
      delCoupons.run(scan_id);
      delPrepares.run(scan_id);
      delOffline.run(scan_id);
      delScan.run(scan_id);
    }
    return rows.length;
  });
  let scans = 0;
  while (keepGoing()) {
    const n = batch();
    scans += n;
    if (n < BATCH) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!keepGoing()) return { scans, voucherOrders: 0 };
  // Vouchers of orders whose visit date has passed the same horizon cannot be scanned usefully.
  const voucherOrders = db.prepare(`DELETE FROM voucher_orders WHERE visit_date < ?`).run(businessDate(cutoff)).changes;
  return { scans, voucherOrders };
}
