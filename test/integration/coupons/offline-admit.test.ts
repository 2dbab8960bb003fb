import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, DEFAULT_QR_LIFETIME_MS, DEMO_POI_ID, type ManualClock } from '../../../electron/sandbox';
import type { Settings } from '../../../shared/domain/settings';
import { zhCN } from '../../../renderer/i18n/zh-CN';
import { startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';
import { ONE, THREE } from './harness';

/**
 * Douyin-code coupons while Douyin cannot be reached (coupons issue item 4), over real HTTP: a
 * real core on a real SQLite file, the sandbox taken offline (every connection destroyed, its
 * short-link host too) and brought back.
 */
let h: Harness | undefined;
let douyinClock: ManualClock;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(settings: Partial<Settings> = {}): Promise<Harness> {
  douyinClock = createManualClock(Date.now());
  h = await startHarness({ sandbox: { now: douyinClock.now }, settings: { poiId: DEMO_POI_ID, ...settings } });
  return h;
}

const submit = (raw: string) => h!.core.routes['scan.submit']({ raw, source: 'keyboard' });
const count = (scanId: number, people: number) => h!.core.routes['scan.confirmCoupon']({ scanId, count: people });
const row = <T>(sql: string, ...args: unknown[]) => h!.core.db.prepare(sql).get(...args) as T;
const itemOf = (scanId: number) =>
  row<{ state: string; order_id: string; last_reason: string | null; request: string }>(
    'SELECT state, order_id, last_reason, request FROM outbox WHERE scan_id = ?',
    scanId,
  );
const attemptsOf = (scanId: number) =>
  (
    h!.core.db
      .prepare('SELECT a.outcome FROM attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.scan_id = ? ORDER BY a.id')
      .all(scanId) as { outcome: string }[]
  ).map((a) => a.outcome);
const verifications = (certs: readonly string[]) => certs.map((c) => h!.sandbox.coupons.verificationsOf(c));

function douyinBack(): void {
  h!.sandbox.setOffline(false);
  h!.core.worker.wake({ networkBack: true });
}

/** Offline, the coupon is scanned and the staff type the count: admitted, queued. */
async function admitOffline(raw: string, people: number) {
  const asked = await submit(raw);
  expect(asked).toMatchObject({ verdict: 'offline', reason: 'coupon_offline_count', admit: false });
  expect(asked.scanId).toEqual(expect.any(Number));
  const admitted = await count(asked.scanId!, people);
  expect(admitted).toMatchObject({
    scanId: asked.scanId,
    verdict: 'offline',
    reason: 'coupon_offline_admitted',
    admit: true,
    people,
  });
  return asked;
}

describe('Douyin-code coupons while Douyin cannot be reached (coupons issue item 4)', () => {
  it('by default (refuse): recorded, amber "抖音券需联网核销，请稍候重试", nothing queued, nothing verified once Douyin is back', async () => {
    await start();
    expect(h!.core.settings.get().offlineCoupons).toBe('refuse');
    h!.sandbox.setOffline(true);
    const answer = await submit(THREE.code);
    expect(answer).toMatchObject({ verdict: 'offline', reason: 'coupon_needs_network', admit: false });
    expect(zhCN[`reason.${answer.reason}`]).toBe('抖音券需联网核销，请稍候重试');
    expect(row<{ reason: string }>('SELECT reason FROM scans WHERE id = ?', answer.scanId).reason).toBe('coupon_needs_network');
    expect(row<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').n).toBe(0);
    expect(row<{ n: number }>('SELECT COUNT(*) AS n FROM coupon_offline_admissions').n).toBe(0);

    douyinBack();
    // A trip ticket scanned now goes through the worker's wake: had anything waited, it went too.
    const trip = await submit(todaysOrders(1)[0]!.order_id);
    expect(trip.verdict).toBe('verified');
    expect(h!.sandbox.coupons.requestCount('prepare')).toBe(0);
    expect(h!.sandbox.coupons.requestCount('verify')).toBe(0);
    expect(verifications(THREE.certs)).toEqual([0, 0, 0]);
  });

  it('admit, a plain code, count 2 of 3: queued offline; once Douyin is back 2 are prepared and verified, the scan keeps its time', async () => {
    await start({ offlineCoupons: 'admit' });
    h!.sandbox.setOffline(true);
    const asked = await admitOffline(THREE.code, 2);
    // Queued (or being tried: the worker woke) under a placeholder order until Douyin names it.
    expect(itemOf(asked.scanId!)).toMatchObject({
      state: expect.stringMatching(/^(queued|sending)$/),
      order_id: `offline-coupon:${asked.scanId}`,
    });
    const pendingRow = row<{ outcome: string; people: number }>('SELECT outcome, people FROM scans WHERE id = ?', asked.scanId);
    expect(pendingRow).toEqual({ outcome: 'pending', people: 2 });
    // Still offline: the worker's tries reach nobody and nothing is verified.
    expect(verifications(THREE.certs)).toEqual([0, 0, 0]);

    const scannedAt = asked.at;
    await new Promise((r) => setTimeout(r, 50));
    douyinBack();
    await until(() => itemOf(asked.scanId!).state === 'verified', 20_000, 'the later prepare and verify');
    expect(verifications(THREE.certs)).toEqual([1, 1, 0]);
    // The plain code was prepared (not a QR), once.
    expect(h!.sandbox.coupons.requestCount('prepare')).toBe(1);
    expect(h!.sandbox.coupons.requestCount('verify')).toBe(1);
    const item = itemOf(asked.scanId!);
    expect(item.order_id).toBe(THREE.order);
    expect(item.request).not.toContain('offline_prepare');
    expect(attemptsOf(asked.scanId!).slice(-2)).toEqual(['prepared', 'verified']);

    const scan = row<{ scanned_at: number; outcome: string; people: number; amount_fen: number; order_id: string }>(
      'SELECT scanned_at, outcome, people, amount_fen, order_id FROM scans WHERE id = ?',
      asked.scanId,
    );
    expect(scan).toEqual({ scanned_at: scannedAt, outcome: 'verified', people: 2, amount_fen: 13600, order_id: THREE.order });
    const certs = h!.core.db
      .prepare('SELECT certificate_id, verify_id FROM coupon_certificates WHERE scan_id = ? ORDER BY certificate_id')
      .all(asked.scanId) as { certificate_id: string; verify_id: string | null }[];
    expect(certs).toEqual(
      THREE.certs.slice(0, 2).map((c) => ({ certificate_id: c, verify_id: h!.sandbox.coupons.stateOf(c)!.verifyId })),
    );
  });

  it('fewer unused than admitted (2 of 3 used elsewhere meanwhile): verifies what there is, and the supervisor sees a conflict', async () => {
    await start({ offlineCoupons: 'admit' });
    const session = (await h!.core.routes['supervisor.pin.set']({ pin: '135790' })).token;
    h!.sandbox.setOffline(true);
    const asked = await admitOffline(THREE.code, 3);
    h!.sandbox.coupons.verifyElsewhere(THREE.certs[0]!);
    h!.sandbox.coupons.verifyElsewhere(THREE.certs[1]!);
    douyinBack();
    await until(() => itemOf(asked.scanId!).state === 'verified', 20_000, 'the later verify');
    expect(verifications(THREE.certs)).toEqual([1, 1, 1]);
    expect(h!.sandbox.coupons.stateOf(THREE.certs[2]!)?.state).toBe('used');
    const verifiedHere = h!.core.db
      .prepare('SELECT certificate_id FROM coupon_certificates WHERE scan_id = ? AND verify_id IS NOT NULL')
      .all(asked.scanId);
    expect(verifiedHere).toEqual([{ certificate_id: THREE.certs[2] }]);

    const conflicts = await h!.core.routes['supervisor.history']({ session, filter: { outcome: 'conflict' }, limit: 50 });
    expect(conflicts.rows).toEqual([
      expect.objectContaining({ id: asked.scanId, outcome: 'conflict', reason: 'used_elsewhere' }),
    ]);
    const scan = row<{ douyin_message: string }>('SELECT douyin_message FROM scans WHERE id = ?', asked.scanId);
    expect(scan.douyin_message).toBe('仅 1 张券可用，已放行 3 人');
  });

  it('QR only, its data expired meanwhile: needs attention with the reason, nothing verified, never prepared again by itself', async () => {
    await start({ offlineCoupons: 'admit' });
    const session = (await h!.core.routes['supervisor.pin.set']({ pin: '135790' })).token;
    const { shortLink } = h!.sandbox.coupons.qr(ONE.order);
    h!.sandbox.setOffline(true);
    const asked = await admitOffline(shortLink, 1);
    douyinClock.advance(DEFAULT_QR_LIFETIME_MS + 1_000);
    douyinBack();
    await until(() => itemOf(asked.scanId!).state === 'needs_attention', 20_000, 'the refused later prepare');
    const reason = itemOf(asked.scanId!).last_reason!;
    expect(reason).toMatch(/^coupon_qr_expired · 二维码数据已失效，无法补核销：二维码已失效，请刷新后重试/);
    expect(reason).toContain('已放行 1 人');
    expect(h!.sandbox.coupons.verificationsOf(ONE.cert)).toBe(0);
    expect(h!.sandbox.coupons.requestCount('verify')).toBe(0);
    const queue = await h!.core.routes['supervisor.queue']({ session });
    expect(queue.items).toEqual([
      expect.objectContaining({ scanId: asked.scanId, state: 'needs_attention', lastReason: reason }),
    ]);

    const prepares = h!.sandbox.coupons.requestCount('prepare');
    h!.core.worker.wake({ networkBack: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(h!.sandbox.coupons.requestCount('prepare')).toBe(prepares);
  });

  it('Esc at the offline count step: nobody entered, nothing queued; the same coupon may then be admitted', async () => {
    // The duplicate window would answer the second scan as a repeat of the first: not the point here.
    await start({ offlineCoupons: 'admit', duplicateWindowSeconds: 0 });
    h!.sandbox.setOffline(true);
    const asked = await submit(ONE.code);
    const cancelled = await h!.core.routes['scan.cancelCoupon']({ scanId: asked.scanId! });
    expect(cancelled).toMatchObject({ verdict: 'refused', reason: 'coupon_cancelled', admit: false });
    expect(row<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').n).toBe(0);
    await expect(count(asked.scanId!, 1)).rejects.toMatchObject({ code: 'conflict' });
    await admitOffline(ONE.code, 1);
  });

  it('the same coupon admitted offline here is refused when scanned again, with when and where', async () => {
    await start({ offlineCoupons: 'admit', windowName: '7号窗口', duplicateWindowSeconds: 0 });
    h!.sandbox.setOffline(true);
    const first = await admitOffline(ONE.code, 1);
    const again = await submit(ONE.code);
    expect(again).toMatchObject({
      verdict: 'refused',
      reason: 'already_used',
      admit: false,
      previous: { at: first.at, windowName: '7号窗口' },
    });
    // Two Enters on one count step queue one verify.
    await expect(count(first.scanId!, 1)).rejects.toMatchObject({ code: 'conflict' });
    expect(row<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').n).toBe(1);
  });
});

describe('an offline-admitted coupon undone (撤销核销) is free again (coupons issue items 4 and 5)', () => {
  it('verified later, then undone: the same coupon scanned offline again is admitted, not "already used"', async () => {
    await start({ offlineCoupons: 'admit', duplicateWindowSeconds: 0 });
    const session = (await h!.core.routes['supervisor.pin.set']({ pin: '135790' })).token;
    h!.sandbox.setOffline(true);
    const first = await admitOffline(ONE.code, 1);
    douyinBack();
    await until(() => itemOf(first.scanId!).state === 'verified', 20_000, 'the later verify');
    expect(await h!.core.routes['supervisor.coupon.undo']({ session, scanId: first.scanId!, reason: '游客买错票' })).toEqual({
      state: 'undone',
      message: null,
    });
    expect(h!.sandbox.coupons.stateOf(ONE.cert)?.state).toBe('unused');

    h!.sandbox.setOffline(true);
    await admitOffline(ONE.code, 1);
  });
});
