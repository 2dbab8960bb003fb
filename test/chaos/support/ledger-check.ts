import type { LedgerEntry } from '../../../electron/sandbox';
import type { ChaosCoupon } from './config';
import type { HistoryRow } from './db';

/** One answer the staff saw on screen. */
export interface Shown {
  orderId: string;
  scanId: number | null;
  verdict: string;
  reason: string;
  at: number;
  repeated?: boolean;
}

export interface LedgerVerdict {
  /** Answers shown as verified or accepted offline that did not end verified exactly once. */
  lost: number;
  /** Orders verified more than once, and scans (or orders) shown as new twice. */
  duplicated: number;
  problems: string[];
}

/**
 * The end-of-storm audit against the two sources of truth: Douyin's (the sandbox's) ledger and
 * the window's local history. Every promise made on screen must be kept exactly once.
 */
export function auditLedger(shown: readonly Shown[], rows: readonly HistoryRow[], ledger: readonly LedgerEntry[]): LedgerVerdict {
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const byScan = new Map(rows.map((r) => [r.scan_id, r]));
  const ledgerCount = new Map<string, number>();
  for (const entry of ledger) ledgerCount.set(entry.order_id, (ledgerCount.get(entry.order_id) ?? 0) + 1);
  const ledgerOf = new Map(ledger.map((e) => [e.order_id, e]));
  const localOrders = new Set(rows.filter((r) => r.outbox_id !== null).map((r) => r.order_id));

  for (const [orderId, n] of ledgerCount) {
    if (n > 1) {
      duplicated += 1;
      problems.push(`order ${orderId} verified ${n} times in the ledger`);
    }
    if (!localOrders.has(orderId)) problems.push(`order ${orderId} verified in the ledger but never queued locally`);
  }

  const freshScans = new Map<number, number>();
  const freshOrders = new Map<string, number>();
  for (const answer of shown) {
    if (answer.repeated) continue;
    if (answer.verdict !== 'verified' && answer.verdict !== 'offline') continue;
    if (answer.scanId !== null) freshScans.set(answer.scanId, (freshScans.get(answer.scanId) ?? 0) + 1);
    freshOrders.set(answer.orderId, (freshOrders.get(answer.orderId) ?? 0) + 1);

    const row = answer.scanId === null ? undefined : byScan.get(answer.scanId);
    if (!row) {
      lost += 1;
      problems.push(`shown ${answer.verdict} for ${answer.orderId} (scan ${answer.scanId}) is not in the local history`);
      continue;
    }
    if (row.order_id !== answer.orderId)
      problems.push(`scan ${answer.scanId} is for ${row.order_id}, shown for ${answer.orderId}`);
    const count = ledgerCount.get(answer.orderId) ?? 0;
    if (count !== 1 || row.state !== 'verified') {
      lost += 1;
      problems.push(`shown ${answer.verdict} for ${answer.orderId}: ledger ${count}, local state ${row.state}`);
      continue;
    }
    const entry = ledgerOf.get(answer.orderId)!;
    if (entry.verify_token !== row.verify_token) problems.push(`${answer.orderId}: ledger token is not the scan's own`);
    if (entry.verify_time !== String(Math.floor(answer.at / 1000))) {
      problems.push(`${answer.orderId}: verify_time ${entry.verify_time}, scanned at ${Math.floor(answer.at / 1000)}`);
    }
  }
  for (const [scanId, n] of freshScans) {
    if (n > 1) {
      duplicated += 1;
      problems.push(`scan ${scanId} shown as new ${n} times`);
    }
  }
  for (const [orderId, n] of freshOrders) {
    if (n > 1) {
      duplicated += 1;
      problems.push(`order ${orderId} shown as newly verified/accepted ${n} times`);
    }
  }
  return { lost, duplicated, problems };
}

/** One verification in the sandbox's coupon ledger (Sandbox['coupons']['ledger']). */
interface CouponLedgerEntry {
  certificate_id: string;
  order_id: string;
  verify_token: string | null;
  cancel_time: number | null;
}

/**
 * The same audit for Douyin-code coupons, after the queue has drained. A coupon is promised on
 * screen when it was shown verified, or "checking with Douyin" (sent, its answer unknown): each
 * must end verified exactly once, here and at Douyin, under its own verify_token. Shown "needs
 * the network" is no promise and must have queued nothing. Whatever the window queued, shown or
 * not (killed before the answer was printed), must agree with Douyin's ledger: verified here
 * exactly when verified there, never twice.
 */
export function auditCoupons(
  shown: readonly Shown[],
  rows: readonly HistoryRow[],
  ledger: readonly CouponLedgerEntry[],
  coupons: readonly ChaosCoupon[],
): LedgerVerdict & { conflictsByDesign: number } {
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const byCode = new Map(coupons.map((c) => [c.code, c]));
  const byOrder = new Map(coupons.map((c) => [c.orderId, c]));
  const byScan = new Map(rows.map((r) => [r.scan_id, r]));
  const conflicts = new Set<number>();
  const verifications = new Map<string, CouponLedgerEntry[]>();
  for (const entry of ledger) {
    if (!byOrder.has(entry.order_id)) continue;
    verifications.set(entry.certificate_id, [...(verifications.get(entry.certificate_id) ?? []), entry]);
  }
  for (const [certificateId, entries] of verifications) {
    if (entries.length > 1) {
      duplicated += 1;
      problems.push(`coupon certificate ${certificateId} verified ${entries.length} times`);
    }
  }

  const queued = rows.filter((r) => r.kind === 'coupon');
  const tokens = new Set(queued.map((r) => r.verify_token));
  for (const entries of verifications.values()) {
    for (const e of entries) {
      if (!tokens.has(e.verify_token)) problems.push(`coupon ${e.order_id} verified at Douyin under a token never queued here`);
    }
  }
  const itemsPerOrder = new Map<string, number>();
  for (const row of queued) {
    const coupon = row.order_id === null ? undefined : byOrder.get(row.order_id);
    if (!coupon) {
      problems.push(`coupon item ${row.outbox_id} for an order not in the storm (${row.order_id})`);
      continue;
    }
    itemsPerOrder.set(coupon.orderId, (itemsPerOrder.get(coupon.orderId) ?? 0) + 1);
    const atDouyin = verifications.get(coupon.certificateId)?.length ?? 0;
    if (conflictByDesign(row) && atDouyin === 1) {
      conflicts.add(row.scan_id);
      continue;
    }
    if ((row.state === 'verified') !== (atDouyin === 1)) {
      lost += 1;
      problems.push(`coupon ${coupon.code}: local ${row.state}, Douyin verified it ${atDouyin} times`);
    }
  }
  for (const [orderId, n] of itemsPerOrder) {
    if (n > 1) {
      duplicated += 1;
      problems.push(`coupon order ${orderId} queued ${n} times`);
    }
  }

  for (const answer of shown) {
    const coupon = byCode.get(answer.orderId);
    if (!coupon || answer.repeated) continue;
    const row = answer.scanId === null ? undefined : byScan.get(answer.scanId);
    const promised = answer.verdict === 'verified' || (answer.verdict === 'offline' && answer.reason === 'coupon_checking');
    if (!promised) {
      if (row?.outbox_id != null) problems.push(`coupon ${coupon.code} shown ${answer.reason} but queued`);
      continue;
    }
    if (!row || row.outbox_id === null) {
      lost += 1;
      problems.push(`coupon ${coupon.code} shown ${answer.verdict}/${answer.reason} is not queued in the local history`);
      continue;
    }
    // Not admitted ("checking with Douyin"), then the by-design conflict: the supervisor's to settle.
    if (row.state !== 'verified' && !(conflicts.has(row.scan_id) && answer.reason === 'coupon_checking')) {
      lost += 1;
      problems.push(`coupon ${coupon.code} shown ${answer.verdict}/${answer.reason} ended ${row.state}`);
    }
  }
  return { lost, duplicated, problems, conflictsByDesign: conflicts.size };
}

/**
 * A coupon verify whose only attempts before Douyin's "already verified" were reset before any
 * answer: whether it reached Douyin cannot be known, so the rule (MAY_HAVE_REACHED_SQL) makes it
 * a used-elsewhere conflict in needs attention, never a success. The audit holds it to exactly that.
 */
function conflictByDesign(row: HistoryRow): boolean {
  return row.reset_unanswered === 1 && row.state === 'needs_attention' && (row.last_reason ?? '').startsWith('used_elsewhere');
}

/** An offline-admitted coupon item as the window's file holds it. */
export interface OfflineCouponItem {
  scanId: number;
  state: string;
  orderId: string;
  /** The verify request once prepared: Douyin's verify_token is in it (the item's own is the hub claim's). */
  request: string;
}

/**
 * The kill audit for coupons admitted offline on the staff's count (one person, one-certificate
 * coupons): each admission shown to the staff ends verified exactly once at Douyin (else lost);
 * no certificate is verified twice and no coupon queued twice (else duplicated); everything
 * Douyin verified is an item of this window, under the token of that item's own request.
 */
export function auditOfflineCoupons(
  shown: readonly Shown[],
  items: readonly OfflineCouponItem[],
  ledger: readonly CouponLedgerEntry[],
  coupons: readonly ChaosCoupon[],
): LedgerVerdict {
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const byOrder = new Map(coupons.map((c) => [c.orderId, c]));
  const byCode = new Map(coupons.map((c) => [c.code, c]));
  const atDouyin = new Map<string, CouponLedgerEntry[]>();
  for (const entry of ledger) {
    if (byOrder.has(entry.order_id)) atDouyin.set(entry.order_id, [...(atDouyin.get(entry.order_id) ?? []), entry]);
  }
  for (const [orderId, entries] of atDouyin) {
    if (entries.length > 1) {
      duplicated += 1;
      problems.push(`coupon order ${orderId} verified ${entries.length} times`);
    }
  }
  const itemOfOrder = new Map<string, OfflineCouponItem>();
  for (const item of items) {
    if (itemOfOrder.has(item.orderId)) {
      duplicated += 1;
      problems.push(`coupon order ${item.orderId} queued twice`);
    }
    itemOfOrder.set(item.orderId, item);
    const verified = atDouyin.get(item.orderId)?.length ?? 0;
    // Written (shown or not: the kill may land between the commit and the print) means verified once.
    if (item.state !== 'verified' || verified !== 1) {
      lost += 1;
      problems.push(`admitted coupon ${item.orderId}: local ${item.state}, Douyin verified it ${verified} times`);
    }
  }
  for (const [orderId, entries] of atDouyin) {
    const item = itemOfOrder.get(orderId);
    const token = item ? (JSON.parse(item.request) as { verify_token?: string }).verify_token : undefined;
    for (const e of entries) {
      if (e.verify_token !== token) problems.push(`coupon ${orderId} verified at Douyin under a token not in its item here`);
    }
  }
  const byScan = new Map(items.map((i) => [i.scanId, i]));
  for (const answer of shown) {
    const coupon = byCode.get(answer.orderId);
    if (!coupon || answer.reason !== 'coupon_offline_admitted' || answer.scanId === null) continue;
    if (byScan.get(answer.scanId)?.orderId !== coupon.orderId) {
      lost += 1;
      problems.push(`coupon ${coupon.code} shown admitted offline, not queued for its order`);
    }
  }
  return { lost, duplicated, problems };
}
