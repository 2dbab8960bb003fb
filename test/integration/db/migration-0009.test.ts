import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0009_coupon_reconciliations');
const addRun = (state: string) =>
  db
    .prepare(
      `INSERT INTO coupon_reconciliations (business_day, poi_id, trigger, started_at, finished_at, state, douyin_records,
         local_certificates, pages) VALUES ('2026-12-01', '7000000000000000001', 'daily', 1, 2, ?, 0, 0, 1)`,
    )
    .run(state).lastInsertRowid;
const addDifference = (runId: number | bigint, kind: string, scanId: number | null) =>
  db
    .prepare(
      `INSERT INTO coupon_reconciliation_differences (reconciliation_id, kind, certificate_id, scan_id) VALUES (?, ?, 'c', ?)`,
    )
    .run(runId, kind, scanId);

describe('migration 0009_coupon_reconciliations', () => {
  it('adds the run and difference tables to a file at the version before it, keeping what was there', () => {
    migrate(db, migrations.slice(0, AT));
    db.prepare(`INSERT INTO settings (key, value) VALUES ('windowName', '"2号窗口"')`).run();
    migrate(db, migrations);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('windowName')).toEqual({ value: '"2号窗口"' });
    const run = addRun('complete');
    // A difference may name a scan retention has removed since: no foreign key to scans.
    addDifference(run, 'douyin_only', 424242);
    expect(db.prepare('SELECT COUNT(*) AS n FROM coupon_reconciliation_differences').get()).toEqual({ n: 1 });
  });

  it('refuses an unknown state or kind, and removes a run with its differences', () => {
    migrate(db, migrations);
    expect(() => addRun('done')).toThrow(/CHECK/);
    const run = addRun('failed');
    expect(() => addDifference(run, 'elsewhere', null)).toThrow(/CHECK/);
    addDifference(run, 'local_only', null);
    db.prepare('DELETE FROM coupon_reconciliations WHERE id = ?').run(run);
    expect(db.prepare('SELECT COUNT(*) AS n FROM coupon_reconciliation_differences').get()).toEqual({ n: 0 });
  });
});
