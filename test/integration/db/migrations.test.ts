import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/connection';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('database connection', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(dir.path, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('refuses a database written by a newer version of the app', () => {
    const file = join(dir.path, 'future.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this app/);
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const file = join(dir.path, 'b.db');
    const db = new Database(file);
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM nowhere'),
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(tables(db)).not.toContain('half');
    db.close();
  });
});

describe('migration 0001_initial', () => {
  it('creates scans, outbox, attempts and settings, and the outbox refuses unknown states', () => {
    const db = new Database(join(dir.path, 'c.db'));
    migrate(db, migrations.slice(0, 1));
    expect(tables(db)).toEqual(expect.arrayContaining(['attempts', 'outbox', 'scans', 'settings']));
    db.pragma('foreign_keys = ON');
    db.prepare(
      `INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
      VALUES (1, 'keyboard', 'code', 'code:x', 'x', 'offline', 'offline_queued')`,
    ).run();
    const insert = (state: string) =>
      db
        .prepare(
          `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
        VALUES (1, 'o', ?, 1, '{}', ?, 1, 1, 1)`,
        )
        .run(`t-${state}`, state);
    expect(() => insert('lost')).toThrow(/CHECK/);
    insert('queued');
    // One request per scan, one scan per request.
    expect(() =>
      db
        .prepare(
          `INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state, next_attempt_at, created_at, updated_at)
        VALUES (1, 'o', 'other', 1, '{}', 'queued', 1, 1, 1)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('migration 0002_voucher_index', () => {
  it('upgrades a version-1 file in place, keeping its rows, and cascades credentials with their order', () => {
    const file = join(dir.path, 'd.db');
    const db = new Database(file);
    migrate(db, migrations.slice(0, 1));
    db.prepare(`INSERT INTO settings (key, value) VALUES ('windowName', '"东门"')`).run();
    migrate(db, migrations.slice(0, 2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT value FROM settings`).get()).toEqual({ value: '"东门"' });
    db.pragma('foreign_keys = ON');
    db.prepare(`INSERT INTO voucher_orders VALUES ('1', NULL, 0, '2026-01-01', 'h', 1)`).run();
    db.prepare(`INSERT INTO voucher_credentials VALUES ('code:A', '1', 'p', NULL, 'qrcode', 1)`).run();
    expect(() =>
      db.prepare(`INSERT INTO voucher_credentials VALUES ('code:B', 'missing', 'p', NULL, 'qrcode', 1)`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM voucher_orders`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM voucher_credentials`).get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migration 0004_database_recoveries', () => {
  it('keeps repairs of the file with their acknowledgement, and refuses unknown outcomes', () => {
    const db = new Database(join(dir.path, 'r.db'));
    migrate(db, migrations.slice(0, 4));
    const insert = (outcome: string) =>
      db
        .prepare(
          `INSERT INTO database_recoveries (at, outcome, reason, moved_to, carried, rows_lost) VALUES (1, ?, 'x', NULL, '{}', 0)`,
        )
        .run(outcome);
    expect(() => insert('salvaged')).not.toThrow();
    expect(() => insert('deleted')).toThrow(/CHECK/);
    expect(db.prepare('SELECT acknowledged_at FROM database_recoveries').get()).toEqual({ acknowledged_at: null });
    db.close();
  });
});
