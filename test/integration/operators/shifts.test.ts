import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedIn } from '../../../shared/domain/operators';
import type { ShiftReport } from '../../../shared/domain/supervisor';
import { parseCsv } from '../supervisor/csv';
import { operatorHarness } from './harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs a window in its own process where A017 signs in and scans, then SIGKILLs it. */
async function signInScanAndKill(scans: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/shift-child.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TICKET_WINDOW_DATA_DIR: h.state.dir.path,
      SHIFT_STAFF_NO: 'A017',
      SHIFT_PIN: '135790',
      SHIFT_SCANS: scans.join(','),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const shiftId = await new Promise<number>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error('child did not get ready')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /ready (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        ready(Number(match[1]));
      }
    });
    child.once('exit', () => fail(new Error('child exited before ready')));
  });
  child.kill('SIGKILL');
  await exited;
  return shiftId;
}

const scan = (raw: string) => h.call('scan.submit', { raw, source: 'keyboard' });
const rows = () =>
  h.state.core!.db.prepare('SELECT credential_display, operator_no, shift_id, verdict FROM scans ORDER BY id').all() as {
    credential_display: string;
    operator_no: string;
    shift_id: number | null;
    verdict: string;
  }[];

/** A window that needs a sign-in, with two cashiers. */
async function staffedWindow(): Promise<void> {
  await h.start();
  const session = await h.firstSupervisor();
  for (const [staffNo, name, pin] of [
    ['A017', '王芳', '135790'],
    ['B020', '李强', '864200'],
  ]) {
    await h.value('operators.add', { session, operator: { staffNo, name, role: 'staff', pin } });
  }
  await h.value('operators.signInPolicy', { session, required: true });
  await h.value('supervisor.lock', { session });
}

describe('sign in to scan, break, handover (issue 15)', () => {
  it('refuses a scan before sign-in and during a break; every scan records the signed-in operator and shift', async () => {
    await staffedWindow();
    expect(await scan('TW1000000001')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'op.error.signInFirst' },
    });
    expect(rows()).toEqual([]);
    expect(await h.call('shift.signIn', { staffNo: 'A017', pin: '000000' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });

    const signed = await h.value<SignedIn>('shift.signIn', { staffNo: ' A017 ', pin: '135790' });
    expect(signed.state).toMatchObject({ required: true, operator: { staffNo: 'A017', name: '王芳' }, onBreak: false });
    expect(signed.handedOver).toBeNull();
    const shiftId = signed.state.shiftId!;
    expect((await scan('TW1000000001')).ok).toBe(true);

    expect(await h.value('shift.break', {})).toMatchObject({ onBreak: true, shiftId });
    expect(await scan('TW1000000004')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await h.call('shift.handover', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'op.error.breakLocked' },
    });
    // Someone else cannot take over a window whose shift is open.
    expect(await h.call('shift.signIn', { staffNo: 'B020', pin: '864200' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', detail: 'op.error.shiftOpen' },
    });
    const back = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    expect(back.state).toMatchObject({ shiftId, onBreak: false });
    expect((await scan('TW1000000004')).ok).toBe(true);

    expect(rows().map((r) => [r.credential_display, r.operator_no, r.shift_id])).toEqual([
      ['TW1000000001', 'A017', shiftId],
      ['TW1000000004', 'A017', shiftId],
    ]);
  });

  it('stores the shift figures at handover, equal to a count of its rows, and shows them to the next operator', async () => {
    await staffedWindow();
    const first = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    for (const code of ['TW1000000001', 'TW1000000002', 'TW1000000005', 'TW1000000007', 'NOPE-123456']) await scan(code);
    h.state.clock += 60_000;
    const report = await h.value<ShiftReport>('shift.handover', {});

    const db = h.state.core!.db;
    const counted = db
      .prepare(`SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE verdict = 'refused') AS refused FROM scans WHERE shift_id = ?`)
      .get(first.state.shiftId) as { n: number; refused: number };
    expect(counted.n).toBeGreaterThan(0);
    expect(report.total).toBe(counted.n);
    // Refused by the window: plain refusals and tickets already used (their own outcome).
    expect(report.byOutcome.refused + report.byOutcome.already_used).toBe(counted.refused);
    expect(report.byOutcome.verified + report.byOutcome.pending).toBe(counted.n - counted.refused);
    expect(report.byProject.reduce((sum, p) => sum + p.total, 0)).toBe(counted.n);
    expect(report.shift).toEqual({ id: first.state.shiftId, operatorNo: 'A017', operatorName: '王芳', closeKind: 'handover' });
    expect(report.from).toBe(first.state.openedAt);
    expect(report.to).toBe(h.state.clock);
    const stored = db.prepare('SELECT close_kind, report FROM shifts WHERE id = ?').get(first.state.shiftId) as {
      close_kind: string;
      report: string;
    };
    expect(stored.close_kind).toBe('handover');
    expect(JSON.parse(stored.report)).toEqual(report);

    expect(await h.value('shift.state', {})).toMatchObject({ operator: null, shiftId: null });
    const next = await h.value<SignedIn>('shift.signIn', { staffNo: 'B020', pin: '864200' });
    expect(next.handedOver).toEqual(report);
    expect(next.state.operator).toMatchObject({ staffNo: 'B020' });
    expect(next.state.shiftId).not.toBe(first.state.shiftId);
    expect(typeof next.queued).toBe('number');
  });

  it('closes a shift left open by a stop without handover at the next start, marked as a crash, with its figures', async () => {
    await staffedWindow();
    const signed = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    await scan('TW1000000001');
    await h.stop();
    h.state.clock += 3_600_000;
    await h.start();
    expect(await h.value('shift.state', {})).toMatchObject({ operator: null, shiftId: null });
    const stored = h.state
      .core!.db.prepare('SELECT closed_at, close_kind, report FROM shifts WHERE id = ?')
      .get(signed.state.shiftId) as {
      closed_at: number;
      close_kind: string;
      report: string;
    };
    expect(stored).toMatchObject({ closed_at: h.state.clock, close_kind: 'crash' });
    expect(JSON.parse(stored.report)).toMatchObject({ total: 1, shift: { operatorNo: 'A017', closeKind: 'crash' } });
    const next = await h.value<SignedIn>('shift.signIn', { staffNo: 'B020', pin: '864200' });
    expect(next.handedOver).toMatchObject({ shift: { closeKind: 'crash' } });
  });

  it('closes the shift of a window that was SIGKILLed at the next start, marked as a crash, counting its scans', async () => {
    await staffedWindow();
    await h.stop();
    const shiftId = await signInScanAndKill(['TW1000000001', 'TW1000000004', 'TW1000000007']);
    h.state.clock = Date.now();
    await h.start();
    expect(await h.value('shift.state', {})).toMatchObject({ operator: null, shiftId: null });
    const db = h.state.core!.db;
    const stored = db.prepare('SELECT close_kind, report FROM shifts WHERE id = ?').get(shiftId) as {
      close_kind: string;
      report: string;
    };
    const counted = (db.prepare('SELECT COUNT(*) AS n FROM scans WHERE shift_id = ?').get(shiftId) as { n: number }).n;
    expect(counted).toBe(3);
    expect(stored.close_kind).toBe('crash');
    expect(JSON.parse(stored.report)).toMatchObject({
      total: counted,
      shift: { id: shiftId, operatorNo: 'A017', closeKind: 'crash' },
    });
    const audit = db.prepare(`SELECT actor FROM audit_log WHERE action = 'shift_closed_after_crash'`).all();
    expect(audit).toEqual([{ actor: 'A017@1号窗口' }]);
  });

  it("exports one shift's scans as CSV with the operator column and order ids kept as text", async () => {
    await staffedWindow();
    const first = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    await scan('TW1000000001');
    await h.value('shift.handover', {});
    await h.value('shift.signIn', { staffNo: 'B020', pin: '864200' });
    await scan('TW1000000004');
    const { token: session } = await h.value<{ token: string }>('supervisor.unlock', { pin: '246810' });
    const started = await h.value<{ exportId: string; chunks: number; rows: number }>('supervisor.export.start', {
      session,
      filter: { shiftId: first.state.shiftId },
    });
    expect(started.rows).toBe(1);
    let text = '';
    for (let index = 0; index < started.chunks; index += 1) {
      const chunk = await h.value<{ base64: string }>('supervisor.export.chunk', { session, exportId: started.exportId, index });
      text += Buffer.from(chunk.base64, 'base64').toString('utf8');
    }
    const [header, row, ...rest] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(rest.filter((r) => r.join('') !== '')).toEqual([]);
    // The operator column keeps its place; the coupon columns come after it.
    expect(header![14]).toBe('工号 Operator');
    expect(row![14]).toBe('A017');
    expect(header!.slice(15)).toEqual(['商品 Product', '人数 People', '金额（元） Amount (yuan)']);
    expect(row![header!.indexOf('订单号 Order id')]).toBe('="8000004478714899970"');
  });

  it('without the sign-in requirement, scans record the window default operator, and the policy change is audited', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await scan('TW1000000001');
    await h.value('operators.signInPolicy', { session, required: false, defaultOperatorNo: 'W1' });
    await scan('TW1000000004');
    expect(rows().map((r) => [r.operator_no, r.shift_id])).toEqual([
      ['', null],
      ['W1', null],
    ]);
    const audit = await h.value<{ action: string }[]>('supervisor.audit', { session, limit: 1 });
    expect(audit[0]).toMatchObject({ action: 'sign_in_policy' });
  });
});
