import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { OUTCOME_SQL } from '../../../electron/core/outbox/scan-outcome';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const STORED = migrations.findIndex((m) => m.name === '0007_stored_outcome');

const addScan = (id: number, reason: string) =>
  db
    .prepare(
      `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
       VALUES (?, ?, 'scanner', 'code', ?, 'C', 'offline', ?)`,
    )
    .run(id, id, `code:${id}`, reason);
const addItem = (scanId: number, state: string) =>
  db
    .prepare(
      `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
       VALUES (?, 'o', ?, 1, '{}', ?, 1, 1, 1)`,
    )
    .run(scanId, `t${scanId}`, state);
/** Every scan's stored outcome beside what OUTCOME_SQL says of it now. */
const both = () =>
  db
    .prepare(
      `SELECT s.id, s.outcome AS stored, ${OUTCOME_SQL} AS derived FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id ORDER BY s.id`,
    )
    .all() as { id: number; stored: string; derived: string }[];

describe('migration 0007_stored_outcome', () => {
  it('computes the outcome of the scans already there', () => {
    migrate(db, migrations.slice(0, STORED));
    addScan(1, 'offline_queued');
    addItem(1, 'verified');
    addScan(2, 'not_found');
    addScan(3, 'used_elsewhere');
    addItem(3, 'needs_attention');
    addScan(4, 'offline_queued');
    addItem(4, 'sending');
    migrate(db, migrations);
    expect(both().map((r) => r.stored)).toEqual(['verified', 'refused', 'conflict', 'pending']);
    expect(both().every((r) => r.stored === r.derived)).toBe(true);
  });

  it('keeps it equal to OUTCOME_SQL through every change the app makes', () => {
    migrate(db, migrations);
    addScan(1, 'offline_queued');
    expect(both()[0]).toMatchObject({ stored: 'refused' });
    addItem(1, 'sending');
    expect(both()[0]).toMatchObject({ stored: 'pending' });
    db.prepare(`UPDATE outbox SET state = 'queued' WHERE scan_id = 1`).run();
    expect(both()[0]).toMatchObject({ stored: 'pending' });
    db.prepare(`UPDATE outbox SET state = 'needs_attention' WHERE scan_id = 1`).run();
    expect(both()[0]).toMatchObject({ stored: 'needs_attention' });
    db.prepare(`UPDATE scans SET reason = 'used_elsewhere' WHERE id = 1`).run();
    expect(both()[0]).toMatchObject({ stored: 'conflict' });
    db.prepare(`UPDATE scans SET reason = 'verified' WHERE id = 1`).run();
    db.prepare(`UPDATE outbox SET state = 'verified' WHERE scan_id = 1`).run();
    expect(both()[0]).toMatchObject({ stored: 'verified' });
    db.prepare(`DELETE FROM outbox WHERE scan_id = 1`).run();
    expect(both()[0]).toMatchObject({ stored: 'refused' });
    expect(both().every((r) => r.stored === r.derived)).toBe(true);
  });

  it('is what history filters walk: an index on (outcome, scanned_at)', () => {
    migrate(db, migrations);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM scans s WHERE s.outcome = 'needs_attention' AND s.scanned_at >= 1 ORDER BY s.scanned_at DESC LIMIT 50`,
      )
      .all() as { detail: string }[];
    expect(plan.map((r) => r.detail).join('\n')).toMatch(/scans_outcome_at \(outcome=\? AND scanned_at>\?\)/);
  });
});
