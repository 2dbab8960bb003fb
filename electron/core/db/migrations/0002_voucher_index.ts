import type { Migration } from '../migrate';

/**
 * The code → order index. Douyin does not look up trip tickets by the provider's own codes, so
 * the window keeps the provider's issued vouchers (发码 SPI answers) and maps what it scans back
 * to an order_id and project_id. ID numbers are stored only as a keyed hash (lookup_key 'id:…').
 */
export const m0002VoucherIndex: Migration = {
  version: 2,
  name: '0002_voucher_index',
  up(db) {
    db.exec(`
      CREATE TABLE voucher_orders (
        order_id    TEXT PRIMARY KEY,
        poi_id      TEXT,
        multi_store INTEGER NOT NULL CHECK (multi_store IN (0,1)),
        visit_date  TEXT NOT NULL,
        content     TEXT NOT NULL,
        imported_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE voucher_credentials (
        lookup_key   TEXT NOT NULL,
        order_id     TEXT NOT NULL REFERENCES voucher_orders (order_id) ON DELETE CASCADE,
        project_id   TEXT NOT NULL,
        project_name TEXT,
        kind         TEXT NOT NULL,
        is_entrance  INTEGER NOT NULL CHECK (is_entrance IN (0,1)),
        PRIMARY KEY (lookup_key, order_id, project_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX voucher_credentials_order ON voucher_credentials (order_id);
    `);
  },
};
