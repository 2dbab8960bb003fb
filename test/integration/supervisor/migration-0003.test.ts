import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('migration 0003_supervisor', () => {
  it('upgrades a version-2 file that holds scans, keeping them, and adds the supervisor tables and indexes', () => {
    const db = new Database(join(dir.path, 'm.db'));
    migrate(db, migrations.slice(0, 2));
    db.prepare(
      `INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason)
      VALUES (1, 'keyboard', 'code', 'code:x', 'ABC123', 'refused', 'not_found')`,
    ).run();
    migrate(db, migrations.slice(0, 3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const names = (type: string) =>
      (db.prepare(`SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name`).all(type) as { name: string }[]).map(
        (r) => r.name,
      );
    expect(names('table')).toEqual(expect.arrayContaining(['audit_log', 'outbox_resolutions', 'shift_closes', 'supervisor_pin']));
    expect(names('index')).toEqual(expect.arrayContaining(['scans_display', 'scans_staff_at', 'scans_project_at']));
    expect(names('trigger')).toEqual(['audit_log_no_delete', 'audit_log_no_update']);
    expect(db.prepare('SELECT credential_display FROM scans').all()).toEqual([{ credential_display: 'ABC123' }]);
    db.close();
  });

  it('keeps the audit log append-only and allows a single PIN row', () => {
    const db = new Database(join(dir.path, 'n.db'));
    migrate(db, migrations.slice(0, 3));
    db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES (1, 'supervisor@x', 'unlocked')`).run();
    expect(() => db.prepare(`UPDATE audit_log SET at = 2`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    const pin = db.prepare(`INSERT INTO supervisor_pin (id, hash, salt, params, updated_at) VALUES (?, 'h', 's', '{}', 1)`);
    pin.run(1);
    expect(() => pin.run(2)).toThrow(/CHECK/);
    db.close();
  });
});
