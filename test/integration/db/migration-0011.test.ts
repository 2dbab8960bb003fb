import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { HubOutbox } from '../../../electron/core/hub/history-outbox';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => {
  db = fresh;
  migrate(db, migrations);
});

const addScan = (id: number) =>
  db
    .prepare(
      `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
       VALUES (?, ?, 'scanner', 'code', ?, 'TW1000000001', 'refused', 'not_found')`,
    )
    .run(id, id, `code:${id}`);
const changes = () => db.prepare('SELECT kind, ref FROM hub_changes ORDER BY seq').all();

describe('migration 0011_hub_replication', () => {
  it('logs nothing while the window is not paired, so a window without a hub keeps no growing log', () => {
    addScan(1);
    db.prepare(`UPDATE scans SET reason = 'already_used' WHERE id = 1`).run();
    expect(changes()).toEqual([]);
  });

  it('once linked, queues what is there once (operators first) and then logs every change in its transaction', () => {
    addScan(1);
    const outbox = new HubOutbox(db);
    outbox.link('00000000-0000-4000-8000-000000000001', 1);
    const operators = (db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n;
    expect(changes()).toEqual(
      [...Array(operators)].map((_, i) => ({ kind: 'operator', ref: i + 1 })).concat([{ kind: 'scan', ref: 1 }]),
    );
    addScan(2);
    db.prepare(`UPDATE scans SET site_claim = 'lost' WHERE id = 1`).run();
    expect(changes().slice(-2)).toEqual([
      { kind: 'scan', ref: 2 },
      { kind: 'scan', ref: 1 },
    ]);
    // The same window again changes nothing; unlinking forgets what a gone hub would never take.
    outbox.link('00000000-0000-4000-8000-000000000001', 2);
    // Scan 2 logged twice (its insert, then the stored outcome's trigger): the batch sends it once.
    expect(changes()).toHaveLength(operators + 4);
    const batch = outbox.batch();
    // Each row once, at its newest entry, and the code masked.
    expect(
      batch?.changes.filter((c) => c.kind === 'scan').map((c) => (c.kind === 'scan' ? [c.scan.id, c.scan.maskedCode] : [])),
    ).toEqual([
      [2, 'TW******0001'],
      [1, 'TW******0001'],
    ]);
    outbox.unlink();
    addScan(3);
    expect(changes()).toEqual([]);
  });
});
