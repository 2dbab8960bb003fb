import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_POI_ID, DEMO_SECOND_POI_ID } from '../../../electron/sandbox';
import { startRig, type Rig } from './harness';

const WHOLE = '8000004478714899970';
const TWO_PROJECTS = '1003051470049948030';
const TOMORROW = '8000004478714899972';
const MULTI_STORE = '8000004478714899973';
const USED = '8000004478714899974';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => rig.close());

describe('trip verify against the sandbox', () => {
  it('verifies a whole order once and records it in the ledger', async () => {
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-1', verify_time: 1764295200 });
    expect(outcome).toMatchObject({ kind: 'verified', alreadyVerified: false, httpStatus: 200 });
    if (outcome.kind !== 'verified') return;
    expect(outcome.logid).toMatch(/^\d{14}[0-9A-F]{20}$/);
    // The sandbox's codes are above 2^53 and not doubles: any rounding would show.
    expect(outcome.verifyResults[0]!.code).toBe('6822424580978342001');
    expect(rig.sandbox.ledger()).toEqual([
      expect.objectContaining({
        order_id: WHOLE,
        project_ids: ['a0'],
        verify_token: 'vt-1',
        verify_time: '1764295200',
        poi_id: null,
      }),
    ]);
  });

  it('replays the same answer for the same verify_token and never verifies twice', async () => {
    const first = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-same' });
    const again = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-same' });
    expect(first.kind).toBe('verified');
    expect(again).toMatchObject({ kind: 'verified', alreadyVerified: false });
    if (first.kind !== 'verified' || again.kind !== 'verified') return;
    expect(again.verifyResults).toEqual(first.verifyResults);
    expect(again.logid).not.toBe(first.logid);
    expect(rig.sandbox.verificationsOf(WHOLE)).toBe(1);
  });

  it('reports a second verify with a new token as already verified, without a second ledger entry', async () => {
    await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-a' });
    const second = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-b' });
    expect(second).toMatchObject({ kind: 'verified', alreadyVerified: true, errorCode: 4000002 });
    expect(rig.sandbox.verificationsOf(WHOLE)).toBe(1);
  });

  it('reports an order used before as already verified', async () => {
    expect(await rig.client.verify({ order_id: USED, verify_token: 'vt-used' })).toMatchObject({
      kind: 'verified',
      alreadyVerified: true,
    });
    expect(rig.sandbox.ledger()).toHaveLength(0);
  });

  it('refuses to verify before the visit date, then accepts on the day (Asia/Shanghai)', async () => {
    const early = await rig.client.verify({ order_id: TOMORROW, verify_token: 'vt-early' });
    expect(early).toMatchObject({ kind: 'rejected', errorCode: 4000002, retryable: false, description: '不支持提前核销' });
    // 2026-11-29 00:00 in Shanghai is 16:00 UTC the day before.
    rig.clock.set(Date.UTC(2026, 10, 28, 16, 0, 0));
    expect((await rig.client.verify({ order_id: TOMORROW, verify_token: 'vt-ontime' })).kind).toBe('verified');
  });

  it('requires poi_id for a multi-store order and refuses a store the order is not valid at', async () => {
    const missing = await rig.client.verify({ order_id: MULTI_STORE, verify_token: 'vt-m1' });
    expect(missing).toMatchObject({ kind: 'invalid_request', errorCode: 2100005 });
    const wrong = await rig.client.verify({ order_id: MULTI_STORE, verify_token: 'vt-m2', poi_id: '7999999999999999999' });
    expect(wrong).toMatchObject({ kind: 'rejected', errorCode: 3000007 });
    const right = await rig.client.verify({ order_id: MULTI_STORE, verify_token: 'vt-m3', poi_id: DEMO_SECOND_POI_ID });
    expect(right.kind).toBe('verified');
    expect(rig.sandbox.ledger()).toEqual([expect.objectContaining({ poi_id: DEMO_SECOND_POI_ID })]);
    expect(DEMO_POI_ID).not.toBe(DEMO_SECOND_POI_ID);
  });

  it('verifies projects one by one, then the rest of the order', async () => {
    const entrance = await rig.client.verify({
      order_id: TWO_PROJECTS,
      verify_token: 'vt-p1',
      vouchers: [{ entrance: { project_id: 'a0' } }],
    });
    expect(entrance.kind).toBe('verified');
    expect(rig.sandbox.orderState(TWO_PROJECTS)!.verifiedProjectIds).toEqual(['a0']);

    const again = await rig.client.verify({
      order_id: TWO_PROJECTS,
      verify_token: 'vt-p2',
      vouchers: [{ entrance: { project_id: 'a0' } }],
    });
    expect(again).toMatchObject({ kind: 'verified', alreadyVerified: true });

    const rest = await rig.client.verify({ order_id: TWO_PROJECTS, verify_token: 'vt-p3' });
    expect(rest).toMatchObject({ kind: 'verified', alreadyVerified: false });
    expect(rig.sandbox.ledger().map((e) => e.project_ids)).toEqual([['a0'], ['b1']]);
  });

  it('rejects a project the order does not have, and an unknown order', async () => {
    const project = await rig.client.verify({
      order_id: TWO_PROJECTS,
      verify_token: 'vt-x',
      vouchers: [{ projects: [{ project_id: 'zz' }] }],
    });
    expect(project).toMatchObject({ kind: 'rejected', errorCode: 4000001 });
    const order = await rig.client.verify({ order_id: '1111111111111111111', verify_token: 'vt-y' });
    expect(order).toMatchObject({ kind: 'rejected', errorCode: 4000001, description: '订单不存在' });
    expect(rig.sandbox.ledger()).toHaveLength(0);
  });

  it('refuses a verify_token reused for a different order', async () => {
    await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-reuse' });
    const other = await rig.client.verify({ order_id: '8000004478714899971', verify_token: 'vt-reuse' });
    expect(other).toMatchObject({ kind: 'invalid_request', errorCode: 2119001 });
  });

  it('uses one client_token for many verifies', async () => {
    for (let i = 0; i < 5; i++) await rig.client.verify({ order_id: WHOLE, verify_token: `vt-many-${i}` });
    expect(rig.sandbox.counts()).toMatchObject({ tokenCalls: 1, verifyRequests: 5, verifications: 1 });
  });
});
