import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0015_hub_voucher_cursor');

describe('migration 0015_hub_voucher_cursor', () => {
  it('adds the voucher cursor to a file at the version before it, keeping its voucher index', () => {
    migrate(db, migrations.slice(0, AT));
    db.prepare(
      `INSERT INTO voucher_orders (order_id, poi_id, multi_store, visit_date, content, imported_at) VALUES ('1', NULL, 0, '2026-12-03', 'x', 1)`,
    ).run();
    migrate(db, migrations);
    expect(db.prepare('SELECT count(*) AS n FROM voucher_orders').get()).toEqual({ n: 1 });
    db.prepare(`INSERT INTO hub_voucher_cursor (hub_window_id, cursor, pulled_at) VALUES ('w', 42, 1)`).run();
    expect(db.prepare('SELECT cursor FROM hub_voucher_cursor').get()).toEqual({ cursor: 42 });
    // One cursor per hub window, never negative.
    expect(() => db.prepare(`INSERT INTO hub_voucher_cursor VALUES ('w', 43, 2)`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO hub_voucher_cursor VALUES ('v', -1, 2)`).run()).toThrow(/CHECK/);
  });
});
