import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0016_offline_coupons');

const addScan = (id: number) =>
  db
    .prepare(
      `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
       VALUES (?, ?, 'scanner', 'code', ?, 'C', 'offline', 'coupon_offline_count')`,
    )
    .run(id, id, `code:${id}`);
const admission = (scanId: number, state: string, people: number | null) =>
  db
    .prepare(`INSERT INTO coupon_offline_admissions (scan_id, query, claim_key, state, people) VALUES (?, ?, ?, ?, ?)`)
    .run(scanId, '{"code":"100000000003"}', 'coupon:100000000003', state, people);

describe('migration 0016_offline_coupons', () => {
  it('is the sixteenth: its version is its place in the list', () => {
    expect(AT).toBe(15);
    expect(migrations[AT]!.version).toBe(AT + 1);
  });

  it('adds the offline admissions to a file at the version before it, keeping its scans', () => {
    migrate(db, migrations.slice(0, AT));
    addScan(1);
    addScan(2);
    addScan(3);
    migrate(db, migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) AS n FROM scans').get()).toEqual({ n: 3 });

    admission(1, 'awaiting', null);
    admission(2, 'admitted', 2);
    admission(3, 'cancelled', null);
    expect(db.prepare('SELECT scan_id, state, people FROM coupon_offline_admissions ORDER BY scan_id').all()).toEqual([
      { scan_id: 1, state: 'awaiting', people: null },
      { scan_id: 2, state: 'admitted', people: 2 },
      { scan_id: 3, state: 'cancelled', people: null },
    ]);
    // One row per scan, of a scan that exists; a count only when admitted, and at least one person.
    expect(() => admission(1, 'awaiting', null)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => admission(99, 'awaiting', null)).toThrow(/FOREIGN KEY/);
    addScan(4);
    expect(() => admission(4, 'admitted', null)).toThrow(/CHECK/);
    expect(() => admission(4, 'awaiting', 2)).toThrow(/CHECK/);
    expect(() => admission(4, 'admitted', 0)).toThrow(/CHECK/);
    expect(() => admission(4, 'lost', null)).toThrow(/CHECK/);

    // An admitted coupon scanned again is found by its claim key through the partial index.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT scan_id FROM coupon_offline_admissions WHERE claim_key = 'coupon:100000000003' AND state = 'admitted'`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('coupon_offline_claim');
  });
});
