import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const AT = migrations.findIndex((m) => m.name === '0017_outbox_attempt_totals');

const addItem = (id: number) => {
  db.prepare(
    `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
     VALUES (?, ?, 'scanner', 'code', ?, 'C', 'offline', 'offline_queued')`,
  ).run(id, id, `code:${id}`);
  db.prepare(
    `INSERT INTO outbox (id, scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, 'o', ?, 1, '{}', 'queued', 1, 1, 1)`,
  ).run(id, id, `t${id}`);
};
const addAttempt = (outboxId: number, logid: string | null) =>
  db
    .prepare(
      `INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, logid) VALUES (?, 1, 2, 'network', 0, ?)`,
    )
    .run(outboxId, logid);
const totals = () => db.prepare('SELECT id, attempt_count, logids FROM outbox ORDER BY id').all();

describe('migration 0017_outbox_attempt_totals', () => {
  it('is the seventeenth: its version is its place in the list', () => {
    expect(AT).toBe(16);
    expect(migrations[AT]!.version).toBe(AT + 1);
  });

  it("sets each item's attempt count and logids, in attempt order, from the attempts already there", () => {
    migrate(db, migrations.slice(0, AT));
    addItem(1);
    addItem(2);
    addItem(3);
    addAttempt(1, 'L2');
    addAttempt(1, null);
    addAttempt(1, 'L1');
    addAttempt(2, null);
    migrate(db, migrations);
    expect(totals()).toEqual([
      { id: 1, attempt_count: 3, logids: 'L2 L1' },
      { id: 2, attempt_count: 1, logids: null },
      { id: 3, attempt_count: 0, logids: null },
    ]);
  });

  it('keeps them as attempts are written afterwards, by whichever writer', () => {
    migrate(db, migrations);
    addItem(1);
    addItem(2);
    addAttempt(1, null);
    addAttempt(1, 'A');
    addAttempt(1, 'B');
    addAttempt(2, 'C');
    expect(totals()).toEqual([
      { id: 1, attempt_count: 3, logids: 'A B' },
      { id: 2, attempt_count: 1, logids: 'C' },
    ]);
    // The same as counting the attempts afresh, which is what the export used to do per row.
    expect(
      db
        .prepare(
          `SELECT o.id, (SELECT COUNT(*) FROM attempts a WHERE a.outbox_id = o.id) AS attempt_count,
             (SELECT group_concat(logid, ' ') FROM (SELECT logid FROM attempts a WHERE a.outbox_id = o.id ORDER BY a.id)) AS logids
           FROM outbox o ORDER BY o.id`,
        )
        .all(),
    ).toEqual(totals());
  });
});
