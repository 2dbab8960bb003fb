import type { Migration } from '../migrate';

/**
 * Indexes whose cost must not grow with the history (issue 14).
 * - A prefix search walks the order-id and code ranges and wants the newest matches of each:
 *   with the scan time beside the value, each range is read from the index alone (no table row
 *   per match) and only its newest page joins the rest. They replace the single-column ones,
 *   which they serve as well (an equality or a range on the first column).
 * - The CSV export reads each scan's attempt count and logids: with the logid beside
 *   (outbox_id, id) both come from the index alone and already in id order (no table row and no
 *   sort per exported scan). It replaces attempts_outbox, which it serves as well.
 * - coupon_prepares had no index on scan_id: deleting a scan (retention) checked the foreign key,
 *   and retention and the receipt slip looked up a scan's prepare, by reading the whole table.
 */
export const m0014HistoryRanges: Migration = {
  version: 14,
  name: '0014_history_ranges',
  up(db) {
    db.exec(`
      DROP INDEX scans_order;
      DROP INDEX scans_display;
      CREATE INDEX scans_order_at ON scans (order_id, scanned_at);
      CREATE INDEX scans_display_at ON scans (credential_display, scanned_at);
      DROP INDEX attempts_outbox;
      CREATE INDEX attempts_outbox_logid ON attempts (outbox_id, id, logid);
      CREATE INDEX coupon_prepares_scan ON coupon_prepares (scan_id);
    `);
  },
};
