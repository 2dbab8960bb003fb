import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { DAY_FIGURES_SQL, DayViewBook } from '../../../electron/core/supervisor/day-view';
import { freshDatabasePerTest } from '../../support/migration-db';

let db: Database.Database;
freshDatabasePerTest((fresh) => (db = fresh));

const INDEX = migrations.findIndex((m) => m.name === '0013_day_figures_index');
const DAY_START = Date.parse('2026-11-29T00:00:00+08:00');
const HOUR = 3_600_000;

const addScan = (id: number, at: number, reason: string, project: string) =>
  db
    .prepare(
      `INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason,
         project_name, operator_no) VALUES (?, ?, 'scanner', 'code', ?, 'C', 'verified', ?, ?, 'A017')`,
    )
    .run(id, at, `code:${id}`, reason, project);
const addItem = (scanId: number, state: string) =>
  db
    .prepare(
      `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
       VALUES (?, 'o', ?, 1, '{}', ?, 1, 1, 1)`,
    )
    .run(scanId, `t${scanId}`, state);
const plan = () =>
  (db.prepare(`EXPLAIN QUERY PLAN ${DAY_FIGURES_SQL}`).all({ firstHour: DAY_START / HOUR }) as { detail: string }[]).map(
    (r) => r.detail,
  );

describe('migration 0013_day_figures_index', () => {
  it('indexes the scans already there, so their day reads the same as before', () => {
    migrate(db, migrations.slice(0, INDEX));
    addScan(1, DAY_START + 9 * HOUR + 5, 'verified', '成人门票');
    addItem(1, 'verified');
    addScan(2, DAY_START + 9 * HOUR + 59 * 60_000, 'offline_queued', '索道');
    addItem(2, 'queued');
    addScan(3, DAY_START + 23 * HOUR + 59 * 60_000, 'not_found', '');
    addScan(4, DAY_START - 1, 'verified', '成人门票');
    addItem(4, 'verified');
    const before = new DayViewBook(db).of('2026-11-29');
    migrate(db, migrations);
    const after = new DayViewBook(db).of('2026-11-29');
    expect(after).toEqual(before);
    expect(after.entriesByHour[9]).toBe(2);
    expect(after.total).toBe(3);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM scans INDEXED BY scans_figures`).get()).toEqual({ n: 4 });
  });

  it("is what the day view walks: one covering index range, aggregated in the index's order, no sort", () => {
    migrate(db, migrations);
    for (let i = 1; i <= 200; i += 1) addScan(i, DAY_START + i * 60_000, 'verified', i % 2 ? '成人门票' : '索道');
    db.exec('ANALYZE');
    const steps = plan();
    expect(steps).toEqual([expect.stringContaining('USING COVERING INDEX scans_figures')]);
    expect(steps.join(' ')).not.toMatch(/TEMP B-TREE/);
  });
});
