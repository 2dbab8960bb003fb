import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { OUTCOME_SQL } from '../../../electron/core/outbox/scan-outcome';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
// As the app opens it: the rebuild of outbox must keep every reference whole with foreign keys on.
freshDatabasePerTest((fresh) => (db = fresh));

const UNDO = migrations.findIndex((m) => m.name === '0008_coupon_undo');

const addScan = (id: number, reason: string) =>
  db
    .prepare(
      `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
       VALUES (?, ?, 'scanner', 'code', ?, 'C', 'offline', ?)`,
    )
    .run(id, id, `code:${id}`, reason);
const addItem = (scanId: number, state: string, kind = 'trip') =>
  Number(
    db
      .prepare(
        `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at, kind)
         VALUES (?, 'o', ?, 1, '{}', ?, 1, 1, 1, ?)`,
      )
      .run(scanId, `t${scanId}`, state, kind).lastInsertRowid,
  );
const both = () =>
  db
    .prepare(
      `SELECT s.id, s.outcome AS stored, ${OUTCOME_SQL} AS derived FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id ORDER BY s.id`,
    )
    .all() as { id: number; stored: string; derived: string }[];

describe('migration 0008_coupon_undo', () => {
  it('rebuilds outbox keeping every item, attempt and note, and recomputes outcomes with already used as its own', () => {
    migrate(db, migrations.slice(0, UNDO));
    addScan(1, 'offline_queued');
    const verified = addItem(1, 'verified');
    addScan(2, 'already_used');
    addScan(3, 'offline_queued');
    const stuck = addItem(3, 'needs_attention', 'coupon');
    db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached) VALUES (?, 1, 2, 'verified', 1)`).run(
      verified,
    );
    db.prepare(`INSERT INTO outbox_resolutions (outbox_id, at, actor, note) VALUES (?, 3, '0001@1号窗口', 'called')`).run(stuck);

    migrate(db, migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT id, scan_id, state, kind FROM outbox ORDER BY id').all()).toEqual([
      { id: verified, scan_id: 1, state: 'verified', kind: 'trip' },
      { id: stuck, scan_id: 3, state: 'needs_attention', kind: 'coupon' },
    ]);
    expect(db.prepare('SELECT outbox_id FROM attempts').pluck().all()).toEqual([verified]);
    expect(db.prepare('SELECT outbox_id FROM outbox_resolutions').pluck().all()).toEqual([stuck]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(both().map((r) => r.stored)).toEqual(['verified', 'already_used', 'needs_attention']);
    expect(both().every((r) => r.stored === r.derived)).toBe(true);
  });

  it('lets an undo item have no scan (only an undo), and its certificates undone make the scan undone', () => {
    migrate(db, migrations);
    addScan(1, 'verified');
    addItem(1, 'verified', 'coupon');
    db.prepare(
      `INSERT INTO coupon_certificates (scan_id, certificate_id, encrypted_code, amount_fen, verify_id, verified_at)
       VALUES (1, '7200000000000000001', 'E', 9900, 'V1', 10), (1, '7200000000000000002', 'F', 9900, 'V2', 10)`,
    ).run();
    const insertUndo = (scanId: number | null, kind: string) =>
      db
        .prepare(
          `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at, kind)
           VALUES (?, 'o', ?, 1, '{}', 'queued', 1, 1, 1, ?)`,
        )
        .run(scanId, `cancel-${kind}-${scanId}`, kind);
    expect(() => insertUndo(null, 'trip')).toThrow(/CHECK/);
    expect(() => insertUndo(1, 'coupon_cancel')).toThrow(/UNIQUE|CHECK/);
    insertUndo(null, 'coupon_cancel');
    expect(both()[0]!.stored).toBe('verified');
    // One of two undone: still verified; both: undone.
    db.prepare(`UPDATE coupon_certificates SET undone_at = 20 WHERE certificate_id = '7200000000000000001'`).run();
    expect(both()[0]!.stored).toBe('verified');
    db.prepare(`UPDATE coupon_certificates SET undone_at = 21 WHERE certificate_id = '7200000000000000002'`).run();
    expect(both()[0]).toMatchObject({ stored: 'undone', derived: 'undone' });
  });
});
