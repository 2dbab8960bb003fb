import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_POI_ID, SANDBOX_ACCOUNT_ID } from '../../../electron/sandbox';
import { startHarness, todaysOrders, type Harness } from '../../support/core-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ORDERS = todaysOrders(2);
const TRIP_ORDER = ORDERS[0]!.order_id;
const CODE = 'YD2026000001';

async function start(settings: NonNullable<Parameters<typeof startHarness>[0]>['settings']): Promise<Harness> {
  h = await startHarness({ orders: ORDERS, sandbox: { reserveCodes: [{ code: CODE, order_id: TRIP_ORDER }] }, settings });
  return h;
}
const submit = (raw: string) => h!.core.routes['scan.submit']({ raw, source: 'scanner' });

describe('pre-imported codes (预导码, issue 13 item 8)', () => {
  it('a code unknown to the index and to prepare is found by bind_order_info and verified as its trip order, once', async () => {
    await start({ poiId: DEMO_POI_ID, douyinAccountId: SANDBOX_ACCOUNT_ID });
    const answer = await submit(CODE);
    expect(answer).toMatchObject({ verdict: 'verified', admit: true, orderId: TRIP_ORDER, credentialDisplay: CODE });
    // Prepare was asked first (it could have been a coupon code), then bind_order_info.
    expect(h!.sandbox.coupons.requestCount('prepare')).toBe(1);
    expect(h!.sandbox.coupons.requestCount('bind_order_info')).toBe(1);
    expect(h!.sandbox.verificationsOf(TRIP_ORDER)).toBe(1);
    const row = h!.core.db.prepare('SELECT order_id, credential_kind FROM scans WHERE id = ?').get(answer.scanId);
    expect(row).toEqual({ order_id: TRIP_ORDER, credential_kind: 'code' });

    // The same order again (after the duplicate window) is already used, with no second verify.
    h!.core.settings.update({ duplicateWindowSeconds: 0 });
    expect(await submit(CODE)).toMatchObject({ verdict: 'refused', reason: 'already_used' });
    expect(h!.sandbox.verificationsOf(TRIP_ORDER)).toBe(1);
  });

  it('also without a POI (a trip ticket needs none); a code Douyin does not bind stays not found', async () => {
    await start({ douyinAccountId: SANDBOX_ACCOUNT_ID });
    expect(await submit(CODE)).toMatchObject({ verdict: 'verified', orderId: TRIP_ORDER });
    expect(await submit('YD2026999999')).toMatchObject({ verdict: 'refused', reason: 'not_found' });
    expect(h!.sandbox.coupons.requestCount('bind_order_info')).toBe(2);
  });

  it('without the account id nothing is asked and the code is not found', async () => {
    await start({ poiId: DEMO_POI_ID });
    expect(await submit(CODE)).toMatchObject({ verdict: 'refused', reason: 'not_found' });
    expect(h!.sandbox.coupons.requestCount('bind_order_info')).toBe(0);
    expect(h!.sandbox.verificationsOf(TRIP_ORDER)).toBe(0);
  });
});
