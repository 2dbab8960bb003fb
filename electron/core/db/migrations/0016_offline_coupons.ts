import type { Migration } from '../migrate';

/**
 * Douyin-code coupons admitted while Douyin cannot be reached (issue 13 item 4). Without Douyin
 * there is no prepare, so no order, token or certificate: the row keeps what was scanned (`query`:
 * the plain code, the QR's encrypted_data or its short link, as JSON) for the later prepare, the
 * key the coupon is claimed under at the site hub, and how many people the staff let in.
 *
 * 'awaiting' (the staff have not typed the count yet: the scan alone, not admitted), 'admitted'
 * (the count typed: the scan's outbox item, kind 'coupon', was written in the same commit and
 * prepares, then verifies, once Douyin answers) or 'cancelled' (Esc: nobody entered). The index
 * finds an admitted coupon scanned again, here or (through the claim key) at the hub.
 */
export const m0016OfflineCoupons: Migration = {
  version: 16,
  name: '0016_offline_coupons',
  up(db) {
    db.exec(`
      CREATE TABLE coupon_offline_admissions (
        scan_id   INTEGER PRIMARY KEY REFERENCES scans (id),
        query     TEXT    NOT NULL,
        claim_key TEXT    NOT NULL,
        state     TEXT    NOT NULL CHECK (state IN ('awaiting','admitted','cancelled')),
        people    INTEGER CHECK (people IS NULL OR people >= 1),
        CHECK ((state = 'admitted') = (people IS NOT NULL))
      ) STRICT;
      CREATE INDEX coupon_offline_claim ON coupon_offline_admissions (claim_key) WHERE state = 'admitted';
    `);
  },
};
