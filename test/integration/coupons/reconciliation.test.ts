import { afterEach, describe, expect, it } from 'vitest';
import { DailyReconciliation } from '../../../electron/core/reconcile/daily-reconciliation';
import { dayStartMs, Reconciler } from '../../../electron/core/reconcile/reconciler';
import { ReconciliationRepository } from '../../../electron/core/reconcile/reconciliation-repository';
import { DEMO_POI_ID, SANDBOX_ACCOUNT_ID, type CouponOrderInput } from '../../../electron/sandbox';
import { businessDate } from '../../../shared/time';
import { startHarness, type Harness } from '../../support/core-harness';
import { ONE, THREE } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Demo coupon 100000000008 is seeded as used: Douyin verified it, not this window. */
const USED_ELSEWHERE = '7200000000000000008';
const EXPIRED_CERT = '7200000000000000005';

async function start(extra: Parameters<typeof startHarness>[0] = {}): Promise<{ session: string }> {
  h = await startHarness({
    ...extra,
    settings: { poiId: DEMO_POI_ID, douyinAccountId: SANDBOX_ACCOUNT_ID, ...extra.settings },
  });
  const grant = await h.core.routes['supervisor.pin.set']({ pin: '135790' });
  return { session: grant.token };
}

const reconcile = (session: string, day?: string) =>
  h!.core.routes['supervisor.reconcile.run']({ session, ...(day ? { day } : {}) });

/** `orders` coupon orders of 20 certificates each, all verified at Douyin by someone else. */
function manyVerifiedElsewhere(orders: number): { coupons: CouponOrderInput[]; certificates: string[] } {
  const now = Math.floor(Date.now() / 1000);
  const coupons = Array.from({ length: orders }, (_, o) => ({
    order_id: `1091${String(o).padStart(15, '0')}`,
    poi_ids: [DEMO_POI_ID],
    sku: { sku_id: '7300000000000000900', title: '批量团购券', groupon_type: 1 },
    certificates: Array.from({ length: 20 }, (_, c) => ({
      certificate_id: `73${String(o * 20 + c).padStart(14, '0')}`,
      code: `2${String(o * 20 + c).padStart(11, '0')}`,
      original_amount: 1000,
      pay_amount: 1000,
      start_time: now - 86_400,
      expire_time: now + 86_400,
      state: 'used' as const,
    })),
  }));
  return { coupons, certificates: coupons.flatMap((o) => o.certificates.map((c) => c.certificate_id)) };
}

describe('coupon reconciliation with Douyin verify records (issue 13 item 7)', () => {
  it('lists verified there but not here, here but not there, and undone there; stores and audits the result', async () => {
    const { session } = await start();
    const one = await h!.core.routes['scan.submit']({ raw: h!.sandbox.coupons.qr(ONE.order).shortLink, source: 'scanner' });
    expect(one.verdict).toBe('verified');
    const asked = await h!.core.routes['scan.submit']({ raw: THREE.code, source: 'scanner' });
    const three = await h!.core.routes['scan.confirmCoupon']({ prepareId: asked.coupon!.prepareId!, count: 3 });
    expect(three.verdict).toBe('verified');
    // At Douyin, behind the window's back: the merchant's app undoes one, Douyin loses another,
    // and a certificate verified and undone elsewhere leaves nothing to settle.
    h!.sandbox.coupons.cancelElsewhere(THREE.certs[0]!);
    h!.sandbox.coupons.dropRecords(THREE.certs[1]!);
    h!.sandbox.coupons.verifyElsewhere(EXPIRED_CERT);
    h!.sandbox.coupons.cancelElsewhere(EXPIRED_CERT);

    const result = await reconcile(session);
    expect(result).toMatchObject({
      day: businessDate(Date.now()),
      poiId: DEMO_POI_ID,
      trigger: 'supervisor',
      actor: '0001@1号窗口',
      state: 'complete',
      // ONE, THREE's first and third, the seeded used one, and the one undone elsewhere.
      douyinRecords: 5,
      localCertificates: 4,
      pages: 1,
      failure: null,
    });
    expect(result.differences.map((d) => [d.kind, d.certificateId])).toEqual([
      ['douyin_only', USED_ELSEWHERE],
      ['local_only', THREE.certs[1]],
      ['undone_at_douyin', THREE.certs[0]],
    ]);
    const [elsewhere, missing, undone] = result.differences;
    expect(elsewhere).toMatchObject({ orderId: '1090000000000000006', title: '儿童门票（团购）', amountFen: 3900, scanId: null });
    expect(missing).toMatchObject({ orderId: THREE.order, title: '家庭游套票', amountFen: 6800, scanId: three.scanId });
    expect(undone).toMatchObject({ orderId: THREE.order, scanId: three.scanId, cancelledAt: expect.any(Number) });

    // Stored: the supervisor sees the last result after a restart of the screen.
    expect(await h!.core.routes['supervisor.reconcile.last']({ session })).toEqual(result);
    const audit = await h!.core.routes['supervisor.audit']({ session, limit: 10 });
    expect(audit.find((a) => a.action === 'reconciled')?.detail).toContain('3 differences');
  });

  it('walks every page by cursor, 20 a page, never refused for going faster than 100 QPS', async () => {
    const many = manyVerifiedElsewhere(110);
    const { session } = await start({ sandbox: { coupons: many.coupons } });
    const result = await reconcile(session);
    expect(result.state).toBe('complete');
    expect(result.douyinRecords).toBe(2_200);
    expect(result.pages).toBe(110);
    expect(result.differences).toHaveLength(2_200);
    expect(new Set(result.differences.map((d) => d.certificateId))).toEqual(new Set(many.certificates));
    // One request per page, none refused for speed, although 110 pages took more than one second.
    expect(h!.sandbox.coupons.requestCount('verify_record')).toBe(110);
    expect(h!.sandbox.coupons.recordRateLimited()).toBe(0);
    expect(result.finishedAt - result.startedAt).toBeGreaterThan(1_000);

    // That the sandbox does refuse an unpaced burst is coupon-flows.test.ts's "paces verify-record
    // pages" case; a burst here would measure the machine's load rather than the walk.
  });

  it('waits out a page answered 2119003 and goes on from the same cursor', async () => {
    const many = manyVerifiedElsewhere(3);
    const { session } = await start({ sandbox: { coupons: many.coupons } });
    h!.sandbox.coupons.injectFault('verify_record', { kind: 'error_code', errorCode: 2119003 }, 2);
    const result = await reconcile(session);
    expect(result).toMatchObject({ state: 'complete', douyinRecords: 60, pages: 3 });
    expect(h!.sandbox.coupons.requestCount('verify_record')).toBe(3 + 2);
  });

  it('stores a run Douyin could not answer as failed, with the reason', async () => {
    const { session } = await start();
    h!.sandbox.setOffline(true);
    const result = await reconcile(session);
    expect(result).toMatchObject({ state: 'failed', douyinRecords: 0, differences: [] });
    expect(result.failure).toBeTruthy();
    expect(await h!.core.routes['supervisor.reconcile.last']({ session })).toMatchObject({ id: result.id, state: 'failed' });
  });

  it('refuses without an account id, and a day in the future', async () => {
    const { session } = await start({ settings: { douyinAccountId: undefined } });
    await expect(reconcile(session)).rejects.toMatchObject({ code: 'conflict', detail: 'reconcile.error.noAccount' });
    h!.core.settings.update({ douyinAccountId: SANDBOX_ACCOUNT_ID });
    await expect(reconcile(session, '2999-01-01')).rejects.toMatchObject({ detail: 'reconcile.error.future' });
    expect(h!.sandbox.coupons.requestCount('verify_record')).toBe(0);
  });

  it('the daily job reconciles the last ended day once, after it settled, and tries a failed day again an hour later', async () => {
    await start();
    const today = businessDate(Date.now());
    const midnight = dayStartMs(today) + 86_400_000;
    let now = midnight + 10 * 60_000;
    const repo = new ReconciliationRepository(h!.core.db);
    const reconciler = new Reconciler({
      repo,
      coupons: () => h!.core.platform.coupons,
      accountId: () => SANDBOX_ACCOUNT_ID,
      poiId: () => DEMO_POI_ID,
      now: () => now,
    });
    const daily = new DailyReconciliation({ reconciler, repo, configured: () => true, now: () => now });
    const runs = () => (h!.core.db.prepare('SELECT business_day, state FROM coupon_reconciliations').all() as object[]).length;

    // 00:10 Beijing: today has ended but not settled; the day before is the due one.
    expect(daily.dueDay()).toBe(businessDate(midnight - 2 * 86_400_000 + 60_000));
    now = midnight + 45 * 60_000;
    expect(daily.dueDay()).toBe(today);
    h!.sandbox.setOffline(true);
    await daily.tick();
    expect(repo.last()).toMatchObject({ day: today, trigger: 'daily', state: 'failed' });
    await daily.tick();
    expect(runs()).toBe(1);
    now += 61 * 60_000;
    h!.sandbox.setOffline(false);
    await daily.tick();
    expect(repo.last()).toMatchObject({ day: today, trigger: 'daily', state: 'complete', douyinRecords: 1 });
    await daily.tick();
    now += 5 * 60 * 60_000;
    await daily.tick();
    expect(runs()).toBe(2);
    expect(h!.sandbox.coupons.requestCount('verify_record')).toBe(1);
    await reconciler.close();
  });
});
