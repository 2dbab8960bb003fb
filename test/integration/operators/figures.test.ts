import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DayView, SignedIn } from '../../../shared/domain/operators';
import type { ShiftReport } from '../../../shared/domain/supervisor';
import { addScans, type TestScan } from '../supervisor/rows';
import { operatorHarness } from './harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

const at = (hour: number, minute = 0) =>
  Date.parse(`2026-11-29T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);

/**
 * One shift's rows, written the way the scan path and the worker write them: trip tickets in every
 * outcome (one accepted offline and synced since, one a conflict), and coupons with their
 * certificate counts and amounts in fen. The figures below are counted by hand from this list.
 */
function shiftRows(shiftId: number): TestScan[] {
  const base = { operatorNo: 'A017', shiftId };
  return [
    // a: three verified adult tickets at 09:xx.
    { ...base, at: at(9, 5), display: 'A1', project: '成人门票', state: 'verified' },
    { ...base, at: at(9, 20), display: 'A2', project: '成人门票', state: 'verified' },
    { ...base, at: at(9, 40), display: 'A3', project: '成人门票', state: 'verified' },
    // b: two accepted offline, still queued.
    { ...base, at: at(10, 1), display: 'B1', project: '成人门票', state: 'queued' },
    { ...base, at: at(10, 2), display: 'B2', project: '成人门票', state: 'queued' },
    // c: accepted offline, verified at the sync.
    { ...base, at: at(10, 30), display: 'C1', project: '索道', state: 'verified', scanReason: 'offline_queued' },
    // d: accepted offline, but Douyin had it verified elsewhere: a conflict.
    { ...base, at: at(10, 40), display: 'D1', project: '成人门票', state: 'needs_attention', scanReason: 'used_elsewhere' },
    // e: refused by Douyin online; f: not found (no request); g: needs attention.
    { ...base, at: at(10, 50), display: 'E1', project: '索道', state: 'rejected', scanReason: 'douyin_rejected' },
    { ...base, at: at(10, 55), display: 'F1', project: null },
    { ...base, at: at(10, 58), display: 'G1', project: '索道', state: 'needs_attention', scanReason: 'needs_attention' },
    // h, i: coupons verified (2 people ¥128.00, 3 people ¥199.50); j: sent, Douyin not answered yet; k: cancelled.
    { ...base, at: at(11, 10), display: 'H1', project: '双人套票', state: 'verified', people: 2, amountFen: 12_800 },
    { ...base, at: at(11, 20), display: 'I1', project: '双人套票', state: 'verified', people: 3, amountFen: 19_950 },
    {
      ...base,
      at: at(11, 30),
      display: 'J1',
      project: '双人套票',
      state: 'queued',
      scanReason: 'coupon_checking',
      people: 1,
      amountFen: 9_900,
    },
    { ...base, at: at(11, 40), display: 'K1', project: '双人套票', scanReason: 'coupon_cancelled', people: 0, amountFen: 0 },
  ];
}

const byOutcome = { verified: 6, pending: 3, conflict: 1, rejected: 1, refused: 2, needs_attention: 1 };
const shiftFigures = {
  total: 14,
  byOutcome,
  // a 3 + b 2 + c 1, one each; coupons h 2 + i 3; j is not in yet, k was cancelled.
  people: 11,
  amountFen: 32_750,
  // b 2 (still queued) + c + d.
  offlineAccepted: 4,
  offlineUnsynced: 2,
  byProject: [
    { project: '成人门票', total: 6, verified: 3, pending: 2, people: 5, amountFen: 0 },
    { project: '双人套票', total: 4, verified: 2, pending: 1, people: 5, amountFen: 32_750 },
    { project: '索道', total: 3, verified: 1, pending: 0, people: 1, amountFen: 0 },
    { project: '', total: 1, verified: 0, pending: 0, people: 0, amountFen: 0 },
  ],
};

describe('shift and day figures (issue 15)', () => {
  it('equal a hand count of the rows, coupons and conflicts included, in the handover, the window shift and the day', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    await h.value('operators.add', {
      session,
      operator: { staffNo: 'A017', name: '王芳', role: 'staff', pin: '135790' },
    });
    await h.value('operators.signInPolicy', { session, required: true });
    h.state.clock = at(8, 30);
    const signedIn = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    addScans(h.state.core!.db, shiftRows(signedIn.state.shiftId!));
    h.state.clock = at(12);

    const session2 = (await h.value<{ token: string }>('supervisor.unlock', { pin: '246810' })).token;
    expect(await h.value<ShiftReport>('supervisor.shift.current', { session: session2 })).toMatchObject(shiftFigures);

    const day = await h.value<DayView>('supervisor.dayView', { session: session2, date: '2026-11-29' });
    const hours = Array.from({ length: 24 }, () => 0);
    hours[9] = 3; // a
    hours[10] = 3; // b 2 + c
    hours[11] = 2; // h, i
    expect(day).toMatchObject({
      entriesByHour: hours,
      // 09 and 10 tie: the earlier one is the peak.
      peakHour: 9,
      total: 14,
      byOutcome,
      people: 11,
      amountFen: 32_750,
      offlineAccepted: 4,
      offlineUnsynced: 2,
      byOperator: [{ operatorNo: 'A017', name: '王芳', total: 14, entries: 8, people: 11 }],
    });
    expect(day.byProduct).toEqual([
      { product: '成人门票', total: 6, entries: 5, people: 5, amountFen: 0 },
      { product: '双人套票', total: 4, entries: 2, people: 5, amountFen: 32_750 },
      { product: '索道', total: 3, entries: 1, people: 1, amountFen: 0 },
      { product: '', total: 1, entries: 0, people: 0, amountFen: 0 },
    ]);

    // The handover stores the same figures for the operator's shift, and the next sign-in sees them.
    const handedOver = await h.value<ShiftReport>('shift.handover', {});
    expect(handedOver).toMatchObject({ ...shiftFigures, shift: { operatorNo: 'A017', closeKind: 'handover' } });
    expect(handedOver.byProject).toEqual(shiftFigures.byProject);
    const next = await h.value<SignedIn>('shift.signIn', { staffNo: 'A017', pin: '135790' });
    expect(next.handedOver).toMatchObject(shiftFigures);
  });

  it('reads a shift close stored before these figures as zero, not as a broken report', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    const old = {
      closeId: 1,
      from: 1,
      to: 2,
      windowName: '1号窗口',
      poiId: null,
      total: 1,
      byOutcome: { verified: 1 },
      byProject: [{ project: '成人门票', total: 1, verified: 1, pending: 0 }],
    };
    h.state
      .core!.db.prepare(
        `INSERT INTO shift_closes (id, closed_at, from_at, actor, window_name, report) VALUES (1, 2, 1, '0001', '1号窗口', ?)`,
      )
      .run(JSON.stringify(old));
    expect(await h.value<ShiftReport>('supervisor.printReport', { session, closeId: 1 })).toMatchObject({
      people: 0,
      amountFen: 0,
      offlineAccepted: 0,
      byProject: [{ project: '成人门票', people: 0, amountFen: 0 }],
    });
  });
});
