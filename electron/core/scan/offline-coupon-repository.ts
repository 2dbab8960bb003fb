import { z } from 'zod';
import type { Db } from '../db/connection';
import type { NewOutboxItem } from '../outbox/repository';
import { OfflineCouponQuery } from '../outbox/offline-coupon-item';
import { HOLDS_TICKET_STATES, PENDING_STATES } from '../outbox/scan-outcome';
import type { NewScan, ScanRepository } from './scan-repository';

const AwaitingRow = z.object({ query: z.string(), claim_key: z.string() }).transform((r) => ({
  query: OfflineCouponQuery.parse(JSON.parse(r.query)),
  claimKey: r.claim_key,
}));

/** The admission of a coupon under a key whose item is in one of `states`, not undone since: when and where. */
const heldSql = (states: string) => `SELECT s.scanned_at AS at, s.window_name AS windowName FROM coupon_offline_admissions a
    JOIN scans s ON s.id = a.scan_id JOIN outbox o ON o.scan_id = a.scan_id
    WHERE a.claim_key = ? AND a.state = 'admitted' AND o.state IN ${states} AND s.outcome <> 'undone'
    ORDER BY a.scan_id LIMIT 1`;

/**
 * Owns coupon_offline_admissions (migration 0016): a coupon scanned while Douyin was away waits
 * for the staff's count, then is admitted (its outbox item written in the same commit) or
 * cancelled. Each step commits the scan's new state with it.
 */
export class OfflineCouponRepository {
  private readonly stmts;
  private readonly admitTx;

  constructor(
    private readonly db: Db,
    private readonly scans: ScanRepository,
  ) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO coupon_offline_admissions (scan_id, query, claim_key, state)
          VALUES (?, ?, ?, 'awaiting')`),
      awaiting: db.prepare(`SELECT query, claim_key FROM coupon_offline_admissions WHERE scan_id = ? AND state = 'awaiting'`),
      settle: db.prepare(`UPDATE coupon_offline_admissions SET state = @state, people = @people
          WHERE scan_id = @scanId AND state = 'awaiting'`),
      // An undone coupon (every certificate it verified given back) is free again, as at the hub.
      heldBy: db.prepare(heldSql(HOLDS_TICKET_STATES)),
      unverified: db.prepare(heldSql(PENDING_STATES)),
      claimKey: db.prepare(`SELECT claim_key FROM coupon_offline_admissions WHERE scan_id = ?`),
    };
    this.admitTx = db.transaction(
      (scanId: number, at: number, people: number, siteClaim: NewScan['siteClaim'], item: NewOutboxItem) => {
        // Two Enters on one count step must not queue two verifies: the first one wins.
        if (this.stmts.settle.run({ scanId, state: 'admitted', people }).changes !== 1) return undefined;
        return this.scans.admitOffline(scanId, at, people, siteClaim, item);
      },
    );
  }

  /** The scan, recorded before the staff are asked how many enter, and what it carried. */
  recordAwaiting(scan: NewScan, query: OfflineCouponQuery, claimKey: string): number {
    return this.db.transaction(() => {
      const { scanId } = this.scans.record(scan);
      this.stmts.insert.run(scanId, JSON.stringify(query), claimKey);
      return scanId;
    })();
  }

  awaiting(scanId: number): { query: OfflineCouponQuery; claimKey: string } | undefined {
    const row = this.stmts.awaiting.get(scanId);
    return row === undefined ? undefined : AwaitingRow.parse(row);
  }

  /** The staff's count: admitted, with the request to prepare and verify later, in one commit. */
  admit(scanId: number, at: number, people: number, siteClaim: NewScan['siteClaim'], item: NewOutboxItem): number | undefined {
    return this.admitTx(scanId, at, people, siteClaim, item);
  }

  /** Esc, or the site hub said another window has it: nobody entered on this scan. */
  refuse(scanId: number, verdict: { reason: 'coupon_cancelled' | 'already_used' }): boolean {
    return this.db.transaction(() => {
      if (this.stmts.settle.run({ scanId, state: 'cancelled', people: null }).changes !== 1) return false;
      this.scans.setVerdict({ scanId, verdict: 'refused', reason: verdict.reason });
      return true;
    })();
  }

  /** When and where this coupon was admitted offline here and is still to be (or was) verified, not undone since. */
  heldBy(claimKey: string): { at: number; windowName: string } | undefined {
    return this.stmts.heldBy.get(claimKey) as { at: number; windowName: string } | undefined;
  }

  /** The same, only while its verify has not yet reached Douyin (whose prepare still offers the certificates). */
  unverifiedBy(claimKey: string): { at: number; windowName: string } | undefined {
    return this.stmts.unverified.get(claimKey) as { at: number; windowName: string } | undefined;
  }

  /** The site-wide key an offline-admitted coupon was claimed under, if the scan is one. */
  claimKeyOf(scanId: number): string | undefined {
    return (this.stmts.claimKey.get(scanId) as { claim_key: string } | undefined)?.claim_key;
  }
}
