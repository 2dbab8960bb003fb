import type { Migration } from '../migrate';

/**
 * Douyin-code coupons. A prepare lists an order's unused certificates under a verify_token; the
 * staff choose how many enter; the verify then goes through the same outbox as a trip ticket
 * (kind 'coupon'), its request holding the token and the chosen encrypted codes. Each verified
 * certificate keeps its certificate_id and verify_id: the undo needs both.
 */
export const m0005Coupons: Migration = {
  version: 5,
  name: '0005_coupons',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'trip' CHECK (kind IN ('trip','coupon'));
      ALTER TABLE scans ADD COLUMN people INTEGER;
      ALTER TABLE scans ADD COLUMN amount_fen INTEGER;

      CREATE TABLE coupon_prepares (
        id                 INTEGER PRIMARY KEY,
        prepared_at        INTEGER NOT NULL,
        source             TEXT    NOT NULL,
        credential_kind    TEXT    NOT NULL,
        credential_key     TEXT    NOT NULL,
        credential_display TEXT    NOT NULL,
        order_id           TEXT    NOT NULL,
        verify_token       TEXT    NOT NULL,
        sku_title          TEXT    NOT NULL,
        certificates       TEXT    NOT NULL,
        state              TEXT    NOT NULL CHECK (state IN ('awaiting','confirmed','cancelled')),
        scan_id            INTEGER REFERENCES scans (id)
      ) STRICT;
      CREATE INDEX coupon_prepares_state ON coupon_prepares (state, prepared_at);

      CREATE TABLE coupon_certificates (
        scan_id        INTEGER NOT NULL REFERENCES scans (id),
        certificate_id TEXT    NOT NULL,
        encrypted_code TEXT    NOT NULL,
        amount_fen     INTEGER NOT NULL,
        verify_id      TEXT,
        verified_at    INTEGER,
        undone_at      INTEGER,
        PRIMARY KEY (scan_id, certificate_id)
      ) STRICT;
    `);
  },
};
