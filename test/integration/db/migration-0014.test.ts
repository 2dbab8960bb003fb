import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0014_history_ranges');
const indexes = () =>
  (
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]
  ).map((r) => r.name);
const plan = (sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');

describe('migration 0014_history_ranges', () => {
  it('replaces the one-column code and order-id indexes of a file at the version before it with (value, time) ones', () => {
    migrate(db, migrations.slice(0, AT));
    db.prepare(
      `INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, order_id, verdict, reason)
       VALUES (5, 'scanner', 'code', 'code:a', 'A1B2C3', '8000000000000000001', 'refused', 'not_found')`,
    ).run();
    expect(indexes()).toEqual(expect.arrayContaining(['scans_order', 'scans_display']));
    migrate(db, migrations);

    expect(indexes()).not.toContain('scans_order');
    expect(indexes()).not.toContain('scans_display');
    expect(indexes()).not.toContain('attempts_outbox');
    expect(indexes()).toEqual(
      expect.arrayContaining(['scans_order_at', 'scans_display_at', 'attempts_outbox_logid', 'coupon_prepares_scan']),
    );
    expect(db.prepare(`SELECT credential_display, order_id FROM scans`).all()).toEqual([
      { credential_display: 'A1B2C3', order_id: '8000000000000000001' },
    ]);
    // A prefix's range and its times come from the index alone; an equality on the value still uses it.
    expect(plan(`SELECT id, scanned_at FROM scans WHERE credential_display >= 'A1' AND credential_display < 'A2'`)).toMatch(
      /COVERING INDEX scans_display_at/,
    );
    expect(plan(`SELECT * FROM scans WHERE order_id = '8000000000000000001'`)).toMatch(/INDEX scans_order_at \(order_id=\?\)/);
    // An item's logids in attempt order, from the index alone, with no sort.
    expect(plan(`SELECT logid FROM attempts WHERE outbox_id = 1 ORDER BY id`)).toBe(
      'SEARCH attempts USING COVERING INDEX attempts_outbox_logid (outbox_id=?)',
    );
    expect(plan(`SELECT * FROM coupon_prepares WHERE scan_id = 1`)).toMatch(/INDEX coupon_prepares_scan \(scan_id=\?\)/);
  });
});
