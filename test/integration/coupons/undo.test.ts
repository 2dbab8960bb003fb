import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, DEMO_POI_ID, type ManualClock } from '../../../electron/sandbox';
import type { HistoryRow } from '../../../shared/domain/history';
import { parseCsv } from '../supervisor/csv';
import { startHarness, until, type Harness } from '../../support/core-harness';
import { ONE, THREE } from './harness';

/**
 * 撤销核销 over real HTTP: a real core on a real SQLite file, the sandbox's cancel endpoint, and
 * two clocks, the window's and Douyin's, so an hour passes without waiting and Douyin can
 * disagree with the window about it.
 */
let h: Harness | undefined;
let windowClock: ManualClock;
let douyinClock: ManualClock;
let session = '';
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 60 * 60_000;

async function start(): Promise<Harness> {
  windowClock = createManualClock(Date.now());
  douyinClock = createManualClock(Date.now());
  h = await startHarness({
    now: windowClock.now,
    sandbox: { now: douyinClock.now },
    settings: { poiId: DEMO_POI_ID, answerBudgetMs: 1000 },
  });
  session = (await h.core.routes['supervisor.pin.set']({ pin: '135790' })).token;
  return h;
}

function advance(ms: number): void {
  windowClock.advance(ms);
  douyinClock.advance(ms);
}

async function verifiedCoupon(code = ONE.code): Promise<number> {
  const answer = await h!.core.routes['scan.submit']({ raw: code, source: 'keyboard' });
  expect(answer).toMatchObject({ verdict: 'verified', admit: true });
  return answer.scanId!;
}

const undo = (scanId: number, reason = '游客买错票，当场退换') =>
  h!.core.routes['supervisor.coupon.undo']({ session, scanId, reason });

async function historyRow(scanId: number, outcome?: HistoryRow['outcome']): Promise<HistoryRow | undefined> {
  const page = await h!.core.routes['supervisor.history']({ session, filter: outcome ? { outcome } : {}, limit: 50 });
  return page.rows.find((r) => r.id === scanId);
}

const audit = async () =>
  (await h!.core.routes['supervisor.audit']({ session, limit: 50 })).map((e) => [e.actor, e.action, e.detail]);

describe('undo of a verified coupon (撤销核销)', () => {
  it('within the hour: Douyin cancels it, history shows it undone under its own outcome, audited in the 工号', async () => {
    await start();
    const scanId = await verifiedCoupon();
    const before = await historyRow(scanId);
    expect(before?.coupon?.undo).toMatchObject({ state: 'undoable' });
    expect(before?.coupon?.undo.deadline).toBe(windowClock.now() + HOUR);

    advance(59 * 60_000);
    expect(await undo(scanId)).toEqual({ state: 'undone', message: null });
    expect(h!.sandbox.coupons.stateOf(ONE.cert)?.state).toBe('unused');
    expect(h!.sandbox.coupons.requestCount('cancel')).toBe(1);

    const row = await historyRow(scanId, 'undone');
    expect(row).toMatchObject({
      outcome: 'undone',
      coupon: {
        title: '成人门票（团购）',
        people: 1,
        amountFen: 9900,
        undone: 1,
        undo: { state: 'undone', operatorNo: '0001', reason: '游客买错票，当场退换' },
      },
    });
    expect(await historyRow(scanId, 'verified')).toBeUndefined();
    expect(await audit()).toContainEqual([
      '0001@1号窗口',
      'coupon_undo',
      expect.stringMatching(new RegExp(`^scan ${scanId}, order ${ONE.order}, 1 certificate\\(s\\), outbox \\d+: 游客买错票`)),
    ]);
    // Undone twice is refused: nothing is left to undo.
    await expect(undo(scanId)).rejects.toMatchObject({ code: 'conflict' });
    expect(h!.sandbox.coupons.requestCount('cancel')).toBe(1);
    // The visitor's coupon is usable again: a new scan verifies it.
    advance(60_000);
    await verifiedCoupon();
    expect(h!.sandbox.coupons.verificationsOf(ONE.cert)).toBe(2);
  });

  it('past the hour: refused here without asking Douyin, and audited', async () => {
    await start();
    const scanId = await verifiedCoupon();
    advance(HOUR + 1000);
    expect((await historyRow(scanId))?.coupon?.undo.state).toBe('expired');
    await expect(undo(scanId)).rejects.toMatchObject({ code: 'conflict', detail: 'sup.error.undoExpired' });
    expect(h!.sandbox.coupons.requestCount('cancel')).toBe(0);
    expect(h!.sandbox.coupons.stateOf(ONE.cert)?.state).toBe('used');
    expect((await audit()).map(([, action]) => action)).toContain('coupon_undo_refused');
    expect((await historyRow(scanId))?.outcome).toBe('verified');
  });

  it("past the hour by Douyin's clock though not by ours: Douyin's refusal is the truth", async () => {
    await start();
    const scanId = await verifiedCoupon();
    douyinClock.advance(HOUR + 60_000);
    windowClock.advance(50 * 60_000);
    const answer = await undo(scanId);
    expect(answer.state).toBe('refused');
    expect(answer.message).toContain('已超过可撤销时限');
    expect(h!.sandbox.coupons.stateOf(ONE.cert)?.state).toBe('used');
    expect(await historyRow(scanId)).toMatchObject({ outcome: 'verified', coupon: { undone: 0, undo: { state: 'refused' } } });
  });

  it('Douyin refusing sooner than the hour (can_cancel false) is final, and never retried', async () => {
    await start();
    const scanId = await verifiedCoupon();
    h!.sandbox.coupons.refuseCancel(ONE.cert);
    expect(await undo(scanId)).toMatchObject({ state: 'refused', message: expect.stringContaining('该券不可撤销') });
    advance(10 * 60_000);
    h!.core.worker.wake();
    await new Promise((r) => setTimeout(r, 300));
    expect(h!.sandbox.coupons.requestCount('cancel')).toBe(1);
  });

  it('queued while Douyin is unreachable, then sent once when it is back; the answer lost after processing settles by the status query', async () => {
    await start();
    const scanId = await verifiedCoupon();
    h!.sandbox.setOffline(true);
    expect(await undo(scanId)).toEqual({ state: 'pending', message: null });
    expect((await historyRow(scanId))?.coupon?.undo.state).toBe('pending');
    // A second undo while one is open is refused, not queued beside it.
    await expect(undo(scanId)).rejects.toMatchObject({ code: 'conflict', detail: 'sup.error.undoOpen' });

    h!.sandbox.setOffline(false);
    // The first request to arrive is processed but its answer is lost; the retry finds no verify record.
    h!.sandbox.coupons.injectFault('cancel', { kind: 'drop_before_answer', afterProcessing: true }, 1);
    advance(2 * 60_000);
    h!.core.worker.wake({ networkBack: true });
    await until(() => h!.sandbox.coupons.requestCount('cancel') >= 1, 20_000, 'the undo to reach Douyin');
    advance(2 * 60_000);
    h!.core.worker.wake({ networkBack: true });
    const outcome = () => h!.core.db.prepare('SELECT outcome FROM scans WHERE id = ?').pluck().get(scanId);
    await until(() => outcome() === 'undone', 20_000, 'the undo to settle');
    expect(h!.sandbox.coupons.stateOf(ONE.cert)?.state).toBe('unused');
    // Douyin holds one cancelled verify record: processed once, never twice.
    const records = h!.sandbox.coupons.ledger().filter((r) => r.certificate_id === ONE.cert);
    expect(records.map((r) => r.cancel_time !== null)).toEqual([true]);
    const item = h!.core.db
      .prepare(`SELECT o.state FROM outbox o JOIN coupon_undos u ON u.outbox_id = o.id WHERE u.scan_id = ?`)
      .pluck()
      .all(scanId);
    expect(item).toEqual(['verified']);
  });

  it('undoes every certificate a scan verified (2 of 3), and the CSV has product, people and yuan as its last columns', async () => {
    await start();
    const asked = await h!.core.routes['scan.submit']({ raw: THREE.code, source: 'keyboard' });
    const done = await h!.core.routes['scan.confirmCoupon']({ prepareId: asked.coupon!.prepareId!, count: 2 });
    expect(done.verdict).toBe('verified');
    expect(await undo(done.scanId!)).toEqual({ state: 'undone', message: null });
    expect(THREE.certs.map((c) => h!.sandbox.coupons.stateOf(c)?.state)).toEqual(['unused', 'unused', 'unused']);
    expect(h!.sandbox.coupons.requestCount('cancel')).toBe(2);

    const started = await h!.core.routes['supervisor.export.start']({ session, filter: {} });
    let csv = '';
    for (let index = 0; index < started.chunks; index += 1) {
      csv += Buffer.from(
        (await h!.core.routes['supervisor.export.chunk']({ session, exportId: started.exportId, index })).base64,
        'base64',
      ).toString('utf8');
    }
    const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
    expect(header!.slice(-4)).toEqual(['工号 Operator', '商品 Product', '人数 People', '金额（元） Amount (yuan)']);
    // The earlier columns keep their places.
    expect(header!.slice(0, 3)).toEqual(['扫码时间 Scanned at (UTC+8)', '窗口 Window', '员工 Staff']);
    expect(header![8]).toBe('结果 Outcome');
    // Long digit runs are written ="…" so Excel keeps them whole.
    const line = rows.find((r) => r[6] === `="${THREE.order}"`)!;
    expect(line[8]).toBe('undone');
    expect(line.slice(-3)).toEqual(['家庭游套票', '2', '136.00']);
  });

  it("from the staff's recent list: the undo rides on each verified coupon, and the supervisor's 工号 + PIN opens a session for it alone", async () => {
    await start();
    await h!.core.routes['supervisor.lock']({ session });
    const scanId = await verifiedCoupon();
    const trip = await h!.core.routes['scan.submit']({ raw: 'not-a-ticket-code', source: 'keyboard' });
    const recent = async () => h!.core.routes['scan.recent']({ limit: 10 });
    const listed = (await recent()).find((r) => r.id === scanId);
    expect(listed?.couponUndo).toMatchObject({ state: 'undoable', deadline: windowClock.now() + HOUR });
    expect((await recent()).find((r) => r.id === trip.scanId)?.couponUndo).toBeUndefined();

    // What RecentUndo does: unlock with 工号 + PIN, undo with that session, lock again.
    await expect(h!.core.routes['supervisor.unlock']({ pin: '000000', staffNo: '0001' })).rejects.toThrow();
    const grant = await h!.core.routes['supervisor.unlock']({ pin: '135790', staffNo: '0001' });
    expect(await h!.core.routes['supervisor.coupon.undo']({ session: grant.token, scanId, reason: '游客买错票' })).toEqual({
      state: 'undone',
      message: null,
    });
    await h!.core.routes['supervisor.lock']({ session: grant.token });
    expect((await recent()).find((r) => r.id === scanId)?.couponUndo).toMatchObject({
      state: 'undone',
      operatorNo: '0001',
      reason: '游客买错票',
    });
    session = (await h!.core.routes['supervisor.unlock']({ pin: '135790' })).token;
    expect(await audit()).toEqual(
      expect.arrayContaining([[expect.stringMatching(/^0001/), 'coupon_undo', expect.stringContaining('游客买错票')]]),
    );

    // Another coupon past the hour: the list says so, and the core refuses it anyway.
    const offered = await h!.core.routes['scan.submit']({ raw: THREE.code, source: 'keyboard' });
    const confirmed = await h!.core.routes['scan.confirmCoupon']({ prepareId: offered.coupon!.prepareId!, count: 1 });
    expect(confirmed).toMatchObject({ verdict: 'verified' });
    const late = confirmed.scanId!;
    advance(HOUR + 1000);
    expect((await recent()).find((r) => r.id === late)?.couponUndo).toMatchObject({ state: 'expired' });
    await expect(undo(late)).rejects.toThrow(/hour/);
  });
});
