import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignInState } from '../../../shared/domain/operators';
import type { ScanRecord } from '../../../shared/domain/scan';
import { channels, contract, type Channel } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { operatorHarness } from './harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

const A017 = { staffNo: 'A017', pin: '135790' };
const B020 = { staffNo: 'B020', pin: '864200' };
/** A token of the right shape that no supervisor was given: all a staff member could present. */
const FORGED = 'f'.repeat(43);

/**
 * One well-formed input per channel, so the schema lets each call through to the authorisation
 * check (a malformed one would stop at `bad_input` and prove nothing). Typed over every channel:
 * a new channel fails to compile here until its role is tested.
 */
const inputs = {
  'app.status': {},
  'queue.wake': {},
  'vouchers.summary': {},
  'vouchers.import': { session: FORGED, text: '{}' },
  'vouchers.pull': { session: FORGED },
  'scan.submit': { raw: 'TW1000000001', source: 'keyboard' },
  'scan.confirmCoupon': { prepareId: 1, count: 1 },
  'scan.cancelCoupon': { prepareId: 1 },
  'scan.recent': { limit: 10 },
  'supervisor.auth': {},
  'supervisor.pin.set': { pin: '111111' },
  'supervisor.pin.change': { session: FORGED, pin: '111111' },
  // The staff member's own 工号 and PIN: right for sign-in, never for supervisor mode.
  'supervisor.unlock': { ...A017 },
  'supervisor.touch': { session: FORGED },
  'supervisor.lock': { session: FORGED },
  'supervisor.history': { session: FORGED, filter: {}, limit: 10 },
  'supervisor.history.attempts': { session: FORGED, scanId: 1 },
  'supervisor.queue': { session: FORGED },
  'supervisor.queue.retry': { session: FORGED, outboxId: 1 },
  'supervisor.queue.handled': { session: FORGED, outboxId: 1, note: '已处理' },
  'supervisor.coupon.undo': { session: FORGED, scanId: 1, reason: '游客要求退款' },
  'supervisor.reconcile.run': { session: FORGED },
  'supervisor.reconcile.last': { session: FORGED },
  'demo.couponQr': { orderId: '1000000000000000001' },
  'supervisor.secretsLost.acknowledge': { session: FORGED },
  'supervisor.database.acknowledge': { session: FORGED, recoveryId: 1 },
  'supervisor.shift.current': { session: FORGED },
  'supervisor.shift.close': { session: FORGED },
  'supervisor.printReport': { session: FORGED },
  'supervisor.export.start': { session: FORGED, filter: {} },
  'supervisor.export.chunk': { session: FORGED, exportId: 'abcdefgh', index: 0 },
  'supervisor.settings': { session: FORGED },
  'supervisor.settings.save': { session: FORGED, settings: {}, credentials: {} },
  'supervisor.audit': { session: FORGED, limit: 10 },
  'supervisor.dayView': { session: FORGED, date: '2026-11-29' },
  'system.openLogFolder': { session: FORGED },
  'system.saveReportPdf': { session: FORGED },
  'operators.list': { session: FORGED },
  'operators.add': { session: FORGED, operator: { staffNo: 'C1', name: '冒名', role: 'supervisor', pin: '999999' } },
  'operators.resetPin': { session: FORGED, staffNo: '0001', pin: '999999' },
  'operators.setDisabled': { session: FORGED, staffNo: '0001', disabled: true },
  'operators.signInPolicy': { session: FORGED, required: false },
  'shift.state': {},
  'shift.signIn': { ...A017 },
  'shift.break': {},
  'shift.handover': {},
  'shift.signOut': {},
  'devices.status': {},
  'devices.idReader.get': { session: FORGED },
  'devices.idReader.save': { session: FORGED, idReader: { kind: 'keyboard_wedge' } },
  'devices.scanner.save': { session: FORGED, scanner: { suffix: 'none', burstGapMs: 40 } },
  'devices.printer.status': {},
  'devices.printer.get': { session: FORGED },
  'devices.printer.save': { session: FORGED, printer: { mode: 'off', spotName: '' } },
  'devices.printer.test': { session: FORGED },
  'devices.printer.printScan': { session: FORGED, scanId: 1 },
  'devices.printer.discard': { session: FORGED },
  'hub.status': { session: FORGED },
  'hub.pair': { session: FORGED, url: 'http://127.0.0.1:9', code: 'ABCD2345' },
  'hub.unpair': { session: FORGED },
} satisfies Record<Channel, Record<string, unknown>>;

const AUTH_REFUSALS = ['sup.error.sessionLocked', 'op.error.signInFirst', 'op.error.breakLocked'];
/** The authorisation refusal a call got, or null when authorisation let it through to its route. */
const refusal = (result: Result<unknown>) =>
  !result.ok && AUTH_REFUSALS.includes(result.error.detail ?? '') ? result.error.detail! : null;

/** A window that needs a sign-in, two cashiers, and supervisor mode locked again. */
async function staffedWindow(): Promise<void> {
  await h.start();
  const session = await h.firstSupervisor();
  for (const [who, name] of [
    [A017, '王芳'],
    [B020, '李强'],
  ] as const) {
    await h.value('operators.add', { session, operator: { ...who, name, role: 'staff' } });
  }
  await h.value('operators.signInPolicy', { session, required: true });
  await h.value('supervisor.lock', { session });
}

/** Puts A017 back to work after a call that locked or ended their shift. */
async function backToWork(): Promise<void> {
  const state = await h.value<SignInState>('shift.state', {});
  if (state.operator === null || state.onBreak) await h.value('shift.signIn', A017);
}

/** Calls every channel in the state `enter` leaves, and returns what authorisation said to each. */
async function probeAll(enter: () => Promise<void>): Promise<Map<Channel, string | null>> {
  const said = new Map<Channel, string | null>();
  for (const channel of channels) {
    await enter();
    const input = inputs[channel];
    expect(contract[channel].input.safeParse(input).success, channel).toBe(true);
    said.set(channel, refusal(await h.call(channel, input)));
  }
  return said;
}

const byAuth = (auth: 'staff' | 'operator' | 'supervisor') => channels.filter((c) => contract[c].auth === auth);

describe("each channel's declared role, enforced for a staff operator (issue 15)", () => {
  it('a signed-in staff member reaches every staff and operator channel and no supervisor one', async () => {
    await staffedWindow();
    await h.value('shift.signIn', A017);
    const said = await probeAll(backToWork);
    for (const channel of [...byAuth('staff'), ...byAuth('operator')]) expect(said.get(channel), channel).toBeNull();
    for (const channel of byAuth('supervisor')) expect(said.get(channel), channel).toBe('sup.error.sessionLocked');
    // Their own 工号 and PIN do not open supervisor mode, and count no wrong try against anyone.
    expect(await h.call('supervisor.unlock', A017)).toMatchObject({ ok: false, error: { detail: 'op.error.wrongSignIn' } });
    const pins = h.state.core!.db.prepare('SELECT staff_no, failed FROM operators ORDER BY staff_no').all();
    expect(pins).toEqual([
      { staff_no: '0001', failed: 0 },
      { staff_no: 'A017', failed: 0 },
      { staff_no: 'B020', failed: 0 },
    ]);
  });

  it('on a break, every operator channel is refused by the core while staff channels still answer', async () => {
    await staffedWindow();
    await h.value('shift.signIn', A017);
    const lockForBreak = async () => {
      await backToWork();
      await h.value('shift.break', {});
    };
    const said = await probeAll(lockForBreak);
    for (const channel of byAuth('operator')) expect(said.get(channel), channel).toBe('op.error.breakLocked');
    for (const channel of byAuth('staff')) expect(said.get(channel), channel).toBeNull();
    for (const channel of byAuth('supervisor')) expect(said.get(channel), channel).toBe('sup.error.sessionLocked');
    const scanned = h.state.core!.db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number };
    expect(scanned.n).toBe(0);
  });

  it("the offline count step's own forms ({ scanId }) are operator calls too: refused on a break and signed out", async () => {
    await staffedWindow();
    await h.value('shift.signIn', A017);
    await h.value('shift.break', {});
    const offlineForms = [
      ['scan.confirmCoupon', { scanId: 1, count: 2 }],
      ['scan.cancelCoupon', { scanId: 1 }],
    ] as const;
    for (const [channel, input] of offlineForms) {
      expect(contract[channel].input.safeParse(input).success, channel).toBe(true);
      expect(refusal(await h.call(channel, input)), channel).toBe('op.error.breakLocked');
    }
    await h.value('shift.signIn', A017);
    await h.value('shift.signOut', {});
    for (const [channel, input] of offlineForms) {
      expect(refusal(await h.call(channel, input)), channel).toBe('op.error.signInFirst');
    }
  });

  it('signed out, the operator channels ask for a sign-in first', async () => {
    await staffedWindow();
    const said = await probeAll(async () => {
      const state = await h.value<SignInState>('shift.state', {});
      if (state.onBreak) await h.value('shift.signIn', A017);
      if (state.operator !== null || state.onBreak) await h.value('shift.signOut', {});
    });
    for (const channel of byAuth('operator')) expect(said.get(channel), channel).toBe('op.error.signInFirst');
    for (const channel of byAuth('staff')) expect(said.get(channel), channel).toBeNull();
  });

  it("a supervisor disabled while in supervisor mode is out at the session's next call", async () => {
    await h.start();
    const first = await h.firstSupervisor();
    await h.value('operators.add', {
      session: first,
      operator: { staffNo: 'S2', name: '赵主管', role: 'supervisor', pin: '975310' },
    });
    const { token: second } = await h.value<{ token: string }>('supervisor.unlock', { staffNo: 'S2', pin: '975310' });
    // Only one session is open at a time: the first supervisor's ended when S2 unlocked.
    expect(await h.call('supervisor.queue', { session: first })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await h.call('supervisor.queue', { session: second })).ok).toBe(true);
    await h.value('operators.setDisabled', { session: second, staffNo: 'S2', disabled: true });
    expect(await h.call('supervisor.queue', { session: second })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'sup.error.sessionLocked' },
    });
    const audit = h.state.core!.db.prepare(`SELECT actor, detail FROM audit_log WHERE action = 'session_ended_role'`).all();
    expect(audit).toEqual([{ actor: 'S2@1号窗口', detail: 'S2 disabled' }]);
  });

  it('staff see their own recent scans, not the operator before them', async () => {
    await staffedWindow();
    await h.value('shift.signIn', A017);
    await h.value('scan.submit', { raw: 'TW1000000001', source: 'keyboard' });
    await h.value('scan.submit', { raw: 'TW1000000004', source: 'keyboard' });
    const mine = await h.value<ScanRecord[]>('scan.recent', { limit: 10 });
    expect(mine.map((r) => r.credentialDisplay)).toEqual(['TW1000000004', 'TW1000000001']);
    await h.value('shift.handover', {});
    await h.value('shift.signIn', B020);
    expect(await h.value('scan.recent', { limit: 10 })).toEqual([]);
    await h.value('scan.submit', { raw: 'TW1000000002', source: 'keyboard' });
    const theirs = await h.value<ScanRecord[]>('scan.recent', { limit: 10 });
    expect(theirs.map((r) => r.credentialDisplay)).toEqual(['TW1000000002']);
  });
});
