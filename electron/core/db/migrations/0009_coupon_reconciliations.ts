import type { Migration } from '../migrate';

/**
 * Reconciliation of coupon verifies with Douyin's verify records (验券历史查询), one Beijing day
 * at a time: each run, and the differences it found, so the supervisor sees the last result and
 * the daily job knows which days are done. Differences name the certificate and, where the
 * window has it, its scan; scan_id is not a foreign key, so history retention may remove an old
 * scan without touching the record of what was found back then.
 */
export const m0009CouponReconciliations: Migration = {
  version: 9,
  name: '0009_coupon_reconciliations',
  up(db) {
    db.exec(`
      CREATE TABLE coupon_reconciliations (
        id                 INTEGER PRIMARY KEY,
        business_day       TEXT    NOT NULL,
        poi_id             TEXT    NOT NULL,
        trigger            TEXT    NOT NULL CHECK (trigger IN ('supervisor','daily')),
        actor              TEXT,
        started_at         INTEGER NOT NULL,
        finished_at        INTEGER NOT NULL,
        state              TEXT    NOT NULL CHECK (state IN ('complete','incomplete','failed')),
        douyin_records     INTEGER NOT NULL,
        local_certificates INTEGER NOT NULL,
        pages              INTEGER NOT NULL,
        failure            TEXT
      ) STRICT;
      CREATE INDEX coupon_reconciliations_day ON coupon_reconciliations (business_day, state);

      CREATE TABLE coupon_reconciliation_differences (
        reconciliation_id INTEGER NOT NULL REFERENCES coupon_reconciliations (id) ON DELETE CASCADE,
        kind              TEXT    NOT NULL CHECK (kind IN ('douyin_only','local_only','undone_at_douyin')),
        certificate_id    TEXT    NOT NULL,
        verify_id         TEXT,
        order_id          TEXT,
        verified_at       INTEGER,
        cancelled_at      INTEGER,
        sku_title         TEXT,
        amount_fen        INTEGER,
        scan_id           INTEGER
      ) STRICT;
      CREATE INDEX coupon_reconciliation_differences_run ON coupon_reconciliation_differences (reconciliation_id);
    `);
  },
};
