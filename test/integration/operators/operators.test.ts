import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCKOUT_MS } from '../../../electron/core/supervisor/pin-vault';
import { operatorHarness } from './harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

const cashier = { staffNo: 'A017', name: '王芳', role: 'staff', pin: '135790' } as const;

describe('operators (issue 15)', () => {
  it('a supervisor adds an operator whose PIN is stored only as a scrypt hash; the 工号 is unique', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    expect(await h.value('operators.add', { session, operator: cashier })).toEqual({
      staffNo: 'A017',
      name: '王芳',
      role: 'staff',
      disabled: false,
      lockedUntil: null,
    });
    expect(await h.call('operators.add', { session, operator: { ...cashier, name: '别人' } })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await h.call('operators.add', { session, operator: { ...cashier, staffNo: 'B1', pin: '12345' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    const rows = h.state.core!.db.prepare('SELECT staff_no, hash, salt FROM operators ORDER BY staff_no').all() as {
      staff_no: string;
      hash: string;
    }[];
    expect(rows.map((r) => r.staff_no)).toEqual(['0001', 'A017']);
    for (const row of rows) expect(row.hash).not.toMatch(/135790|246810/);
    const list = await h.value<{ staffNo: string; role: string }[]>('operators.list', { session });
    expect(list.map((o) => [o.staffNo, o.role])).toEqual([
      ['0001', 'supervisor'],
      ['A017', 'staff'],
    ]);
  });

  it('refuses the operators desk without a supervisor session, and to a staff operator', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await h.value('operators.add', { session, operator: cashier });
    await h.value('supervisor.lock', { session });
    expect(await h.call('operators.list', { session })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // A staff member's PIN does not open supervisor mode.
    expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '135790' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'op.error.wrongSignIn' },
    });
  });

  it('locks out one operator after 5 wrong PINs without locking the others, and a reset ends it', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await h.value('operators.add', { session, operator: { ...cashier, role: 'supervisor' } });
    for (let i = 0; i < 4; i += 1) {
      expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '000000' })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    }
    expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '000000' })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '135790' })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const other = await h.value<{ token: string }>('supervisor.unlock', { staffNo: '0001', pin: '246810' });
    const locked = (
      await h.value<{ staffNo: string; lockedUntil: number | null }[]>('operators.list', { session: other.token })
    ).find((o) => o.staffNo === 'A017');
    expect(locked?.lockedUntil).toBe(h.state.clock + LOCKOUT_MS);

    await h.value('operators.resetPin', { session: other.token, staffNo: 'A017', pin: '864200' });
    expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '135790' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect((await h.call('supervisor.unlock', { staffNo: 'A017', pin: '864200' })).ok).toBe(true);
  });

  it('a disabled operator cannot sign in; the last supervisor cannot be disabled', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await h.value('operators.add', { session, operator: { ...cashier, role: 'supervisor' } });
    await h.value('operators.setDisabled', { session, staffNo: 'A017', disabled: true });
    expect(await h.call('supervisor.unlock', { staffNo: 'A017', pin: '135790' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'op.error.wrongSignIn' },
    });
    expect(await h.call('operators.setDisabled', { session, staffNo: '0001', disabled: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', detail: 'op.error.lastSupervisor' },
    });
    await h.value('operators.setDisabled', { session, staffNo: 'A017', disabled: false });
    expect((await h.call('supervisor.unlock', { staffNo: 'A017', pin: '135790' })).ok).toBe(true);
  });

  it('audits every change in the name of the supervisor who made it, never with the PIN', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await h.value('operators.add', { session, operator: cashier });
    await h.value('operators.resetPin', { session, staffNo: 'A017', pin: '975310' });
    await h.value('operators.setDisabled', { session, staffNo: 'A017', disabled: true });
    const audit = await h.value<{ actor: string; action: string; detail: string }[]>('supervisor.audit', { session, limit: 10 });
    expect(audit.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['0001@1号窗口', 'operator_disabled', 'A017'],
      ['0001@1号窗口', 'operator_pin_reset', 'A017'],
      ['0001@1号窗口', 'operator_added', 'A017 staff'],
      ['0001@1号窗口', 'pin_set', 'first supervisor 0001'],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/135790|975310/);
  });
});
