import type { LedgerEntry } from '../../../electron/sandbox';
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
