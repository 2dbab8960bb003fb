import { afterEach, describe, expect, it } from 'vitest';
import { OutboxRepository } from '../../../electron/core/outbox/repository';
import { ScanRepository } from '../../../electron/core/scan/scan-repository';
import { outboxStates, startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function queueOffline(harness: Harness, orderIds: string[]): Promise<void> {
  harness.sandbox.setOffline(true);
  for (const id of orderIds) await harness.core.routes['scan.submit']({ raw: id, source: 'scanner' });
  harness.sandbox.setOffline(false);
}

describe('drains under platform pressure', () => {
  it(
    'rides out a 2119003 storm: slows the whole queue, counts no tries, verifies everything once',
    { timeout: 60_000 },
    async () => {
      const orders = todaysOrders(30);
      h = await startHarness({ orders, settings: { verifyRatePerSecond: 50, answerBudgetMs: 500 } });
      await queueOffline(
        h,
        orders.map((o) => o.order_id),
      );
      h.sandbox.setRateLimit(8);
      h.core.worker.wake({ networkBack: true });
      await until(() => outboxStates(h!.core).verified === orders.length, 45_000, 'drain under rate limit');

      const limited = h.core.db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE outcome = 'rate_limited'`).get() as {
        n: number;
      };
      expect(limited.n).toBeGreaterThan(0); // the storm happened
      expect(h.core.db.prepare(`SELECT MAX(tries) AS t FROM outbox`).get()).toEqual({ t: 0 }); // and cost no tries
      for (const order of orders) expect(h.sandbox.verificationsOf(order.order_id)).toBe(1);
      // Multiplicative decrease: far fewer 2119003 answers than items once the limiter backed off.
      expect(limited.n).toBeLessThan(orders.length * 3);
    },
  );

  it('survives the token expiring mid-drain: a new token, the same verify_token, nothing lost', { timeout: 60_000 }, async () => {
    const orders = todaysOrders(20);
    h = await startHarness({
      orders,
      sandbox: { tokenLifetimeSeconds: 1 },
      settings: { verifyRatePerSecond: 8, answerBudgetMs: 500 },
    });
    await queueOffline(
      h,
      orders.map((o) => o.order_id),
    );
    const tokenCallsBefore = h.sandbox.counts().tokenCalls;
    h.core.worker.wake({ networkBack: true });
    await until(() => outboxStates(h!.core).verified === orders.length, 45_000, 'drain across token expiry');
    expect(h.sandbox.counts().tokenCalls).toBeGreaterThan(tokenCallsBefore); // it did expire and was replaced
    expect(h.sandbox.ledger()).toHaveLength(orders.length);
    for (const order of orders) expect(h.sandbox.verificationsOf(order.order_id)).toBe(1);
    const needing = h.core.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'needs_attention'`).get();
    expect(needing).toEqual({ n: 0 });
  });

  it('sends no two requests for the same order at once', { timeout: 60_000 }, async () => {
    const [order] = todaysOrders(1);
    const projects = ['a0', 'b1', 'c2'].map((id) => ({ project_id: id, name: id, certificate_nos: [] }));
    h = await startHarness({ orders: [{ ...order!, projects }], settings: { verifyRatePerSecond: 50 } });
    h.sandbox.setLatency(150);
    // Three partial verifies of one order waiting together, as after an outage.
    const repo = new OutboxRepository(h.core.db);
    const scans = new ScanRepository(h.core.db, repo);
    const at = Date.now();
    for (const p of projects) {
      scans.record(
        {
          at,
          source: 'scanner',
          credentialKind: 'code',
          credentialKey: `code:${p.project_id}`,
          credentialDisplay: p.project_id,
          orderId: order!.order_id,
          projectId: p.project_id,
          projectName: p.name,
          verdict: 'offline',
          reason: 'offline_queued',
          staff: '',
          windowName: 'w',
          poiId: null,
        },
        {
          orderId: order!.order_id,
          verifyToken: `token-${p.project_id}`,
          verifyTime: Math.floor(at / 1000),
          state: 'queued',
          request: JSON.stringify({
            order_id: order!.order_id,
            verify_token: `token-${p.project_id}`,
            verify_time: Math.floor(at / 1000),
            vouchers: [{ projects: [{ project_id: p.project_id }] }],
          }),
        },
      );
    }
    h.core.worker.wake();
    await until(() => outboxStates(h!.core).verified === 3, 20_000, 'drain');
    const attempts = h.core.db.prepare(`SELECT started_at, finished_at FROM attempts ORDER BY started_at`).all() as {
      started_at: number;
      finished_at: number;
    }[];
    expect(attempts).toHaveLength(3);
    for (let i = 1; i < attempts.length; i += 1)
      expect(attempts[i]!.started_at).toBeGreaterThanOrEqual(attempts[i - 1]!.finished_at);
    expect(h.sandbox.orderState(order!.order_id)?.verifiedProjectIds.sort()).toEqual(['a0', 'b1', 'c2']);
  });
});
