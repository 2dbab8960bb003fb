import Database from 'better-sqlite3';
import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { operatorHarness } from '../operators/harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

/** A data folder as the version before operators left it: the one supervisor PIN, and a scan. */
function oldWindow(pin: string, failed = 0): void {
  const db = new Database(join(h.state.dir.path, 'ticket-window.db'));
  migrate(db, migrations.slice(0, 4));
  const params = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, params);
  db.prepare(
    `INSERT INTO supervisor_pin (id, hash, salt, params, failed, locked_until, updated_at) VALUES (1, ?, ?, ?, ?, NULL, 1)`,
  ).run(hash.toString('base64'), salt.toString('base64'), JSON.stringify(params), failed);
  db.prepare(
    `INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, verdict, reason, staff)
     VALUES (1, 'keyboard', 'code', 'code:x', 'ABC123', 'refused', 'not_found', '李四')`,
  ).run();
  db.close();
}

describe('migration 0006_operators', () => {
  it('turns the single supervisor PIN into the first supervisor: the same PIN unlocks after the update', async () => {
    oldWindow('4321');
    await h.start();
    expect(await h.value('supervisor.auth', {})).toEqual({ pinSet: true, lockedUntil: null });
    expect(await h.call('supervisor.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await h.call('supervisor.unlock', { pin: '4321' })).ok).toBe(true);
    const { token } = await h.value<{ token: string }>('supervisor.unlock', { staffNo: '0001', pin: '4321' });
    expect(await h.value('operators.list', { session: token })).toEqual([
      { staffNo: '0001', name: '主管', role: 'supervisor', disabled: false, lockedUntil: null },
    ]);
    const db = h.state.core!.db;
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'supervisor_pin'`).get()).toBeUndefined();
    expect(db.prepare('SELECT credential_display, staff, operator_no, shift_id FROM scans').all()).toEqual([
      { credential_display: 'ABC123', staff: '李四', operator_no: '', shift_id: null },
    ]);
  });

  it('carries the wrong-try count over: the fifth wrong PIN in a row still locks', async () => {
    oldWindow('246810', 4);
    await h.start();
    expect(await h.call('supervisor.unlock', { pin: '000000' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('on a window that never set a PIN, creates no operator and still asks for the first supervisor', async () => {
    const db = new Database(join(h.state.dir.path, 'ticket-window.db'));
    migrate(db, migrations.slice(0, 4));
    db.close();
    await h.start();
    expect(await h.value('supervisor.auth', {})).toEqual({ pinSet: false, lockedUntil: null });
    expect((await h.call('supervisor.pin.set', { pin: '246810' })).ok).toBe(true);
  });
});
