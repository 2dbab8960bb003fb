import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { HEALTH_SQL, OutboxRepository } from '../../../electron/core/outbox/repository';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0012_outbox_open_index');
const addItem = (i: number, state: string, createdAt: number) => {
  const scanId = db
    .prepare(
      `INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
       VALUES (?, 'scanner', 'order_id', ?, ?, 'offline', 'offline_queued')`,
    )
    .run(createdAt, `k${i}`, `d${i}`).lastInsertRowid;
  db.prepare(
    `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 0, '{}', ?, 0, ?, ?)`,
  ).run(scanId, `o${i}`, `t${i}`, state, createdAt, createdAt);
};

describe('migration 0012_outbox_open_index', () => {
  it('indexes the open items of a file at the version before it, and the health line reads only that index', () => {
    migrate(db, migrations.slice(0, AT));
    addItem(1, 'verified', 100);
    addItem(2, 'queued', 300);
    addItem(3, 'sending', 200);
    addItem(4, 'needs_attention', 50);
    addItem(5, 'rejected', 10);
    migrate(db, migrations);

    const repo = new OutboxRepository(db);
    expect(repo.health()).toEqual({ queued: 2, needsAttention: 1, oldestQueuedAt: 200 });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${HEALTH_SQL}`)
      .all()
      .map((r) => (r as { detail: string }).detail);
    // No table row is read: 40,000 open items in a big file cost seconds cold when it was.
    expect(plan).toEqual([expect.stringContaining('USING COVERING INDEX outbox_open')]);
  });
});
