import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { plainCodec } from '../../../electron/core/secrets/store';
import { startSandbox } from '../../../electron/sandbox';
import { tempDir } from '../../support/temp';
import { outboxStates, sandboxEnv, startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const submit = (harness: Harness, raw: string) => harness.core.routes['scan.submit']({ raw, source: 'scanner' });

describe('offline acceptance and sync', () => {
  it('accepts scans offline while Douyin is unreachable, then verifies each exactly once with its own scan time', async () => {
    const orders = todaysOrders(12);
    h = await startHarness({ orders, settings: { answerBudgetMs: 1000 } });
    h.sandbox.setOffline(true);

    const scannedAt = new Map<string, number>();
    for (const order of orders) {
      const answer = await submit(h, order.order_id);
      expect(answer.verdict).toBe('offline');
      expect(answer.reason).toBe('offline_queued');
      expect(answer.admit).toBe(true); // default policy: an offline ticket lets the visitor in
      scannedAt.set(order.order_id, answer.at);
      await new Promise((r) => setTimeout(r, 15)); // distinct scan times
    }
    expect(h.core.status().online).toBe(false);
    expect(h.core.status().queue.queued).toBe(orders.length);
    expect(h.sandbox.ledger()).toHaveLength(0);

    h.sandbox.setOffline(false);
    h.core.worker.wake({ networkBack: true });
    await until(() => outboxStates(h!.core).verified === orders.length, 20_000, 'all verified');

    const ledger = h.sandbox.ledger();
    expect(ledger).toHaveLength(orders.length);
    for (const order of orders) {
      expect(h.sandbox.verificationsOf(order.order_id)).toBe(1);
      const entry = ledger.find((e) => e.order_id === order.order_id)!;
      // The scan's own time in seconds, not the time of the sync.
      expect(entry.verify_time).toBe(String(Math.floor(scannedAt.get(order.order_id)! / 1000)));
    }
    // What the staff were shown stays what they were shown; the request's own state moved on.
    const shown = h.core.db.prepare(`SELECT verdict, COUNT(*) AS n FROM scans GROUP BY verdict`).all();
    expect(shown).toEqual([{ verdict: 'offline', n: orders.length }]);
    expect(h.core.status().online).toBe(true);
    expect(h.core.status().queue.queued).toBe(0);
  });

  it('remembers the last contact with Douyin across a restart', async () => {
    const orders = todaysOrders(1);
    const dir = tempDir('tw-contact-');
    const sandbox = await startSandbox({ orders });
    const open = () =>
      createCoreWithParts({ connectPlatform, dataDir: dir.path, env: sandboxEnv(sandbox), secretCodec: plainCodec });
    try {
      const first = await open();
      expect(first.status().lastContactAt).toBeNull();
      await first.routes['scan.submit']({ raw: orders[0]!.order_id, source: 'scanner' });
      const contact = first.status().lastContactAt;
      expect(contact).not.toBeNull();
      await first.close();
      const reopened = await open();
      expect(reopened.status().lastContactAt).toBe(contact);
      await reopened.close();
    } finally {
      await sandbox.close();
      dir.remove();
    }
  });

  it('answers offline within the budget when Douyin is slow, and records the late verify', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders, settings: { answerBudgetMs: 500 } });
    h.sandbox.setLatency(1500);
    const answer = await submit(h, orders[0]!.order_id);
    expect(answer.verdict).toBe('offline');
    await until(() => outboxStates(h!.core).verified === 1, 10_000, 'late verify recorded');
    expect(h.sandbox.verificationsOf(orders[0]!.order_id)).toBe(1);
    const attempts = h.core.db.prepare(`SELECT outcome, logid FROM attempts`).all() as { outcome: string; logid: string }[];
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toBe('verified');
    expect(attempts[0]!.logid).toMatch(/\w{10,}/);
  });

  it('answers verified online, keeping the logid, and refuses a second scan of a used ticket with when and where', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders, settings: { duplicateWindowSeconds: 0, windowName: '东门1号' } });
    const first = await submit(h, orders[0]!.order_id);
    expect(first).toMatchObject({ verdict: 'verified', reason: 'verified', admit: true });
    const again = await submit(h, orders[0]!.order_id);
    expect(again).toMatchObject({ verdict: 'refused', reason: 'already_used', admit: false });
    expect(again.previous).toEqual({ at: first.at, windowName: '东门1号' });
    expect(h.sandbox.verificationsOf(orders[0]!.order_id)).toBe(1);
    expect(h.sandbox.counts().verifyRequests).toBe(1);
  });

  it('makes no second request for the same credential within the duplicate window', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders });
    const first = await submit(h, orders[0]!.order_id);
    const second = await submit(h, orders[0]!.order_id);
    // Never "admit" twice on one ticket (defects issue, item 1): its own screen, the first scan's time.
    expect(second).toMatchObject({
      scanId: first.scanId,
      verdict: 'repeat',
      reason: 'repeat_scan',
      repeated: true,
      admit: false,
      previous: { at: first.at },
    });
    expect(h.sandbox.counts().verifyRequests).toBe(1);
    expect(h.core.db.prepare(`SELECT COUNT(*) AS n FROM scans`).get()).toEqual({ n: 1 });
  });

  it('shows a ticket used elsewhere (Douyin: already verified on a first attempt) as refused, not verified', async () => {
    const orders = todaysOrders(1).map((o) => ({ ...o, state: 'used' as const }));
    h = await startHarness({ orders });
    const answer = await submit(h, orders[0]!.order_id);
    expect(answer).toMatchObject({ verdict: 'refused', reason: 'already_used', admit: false });
    expect(answer.douyinMessage).toContain('已核销');
  });

  it('shows Douyin business refusals in red with Douyin’s own words, and never retries them', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders });
    h.sandbox.failNext(1, 4000001, '订单状态不可核销');
    const answer = await submit(h, orders[0]!.order_id);
    expect(answer).toMatchObject({ verdict: 'refused', reason: 'douyin_rejected' });
    expect(answer.douyinMessage).toContain('订单状态不可核销');
    await new Promise((r) => setTimeout(r, 400));
    expect(outboxStates(h.core)).toEqual({ rejected: 1 });
    expect(h.sandbox.counts().verifyRequests).toBe(1);
  });

  it('stops sending and flags the supervisor on a configuration error, keeping the scans queued', async () => {
    const orders = todaysOrders(3);
    h = await startHarness({ orders });
    h.sandbox.failNext(1, 2190004, '应用未获得该能力');
    const first = await submit(h, orders[0]!.order_id);
    expect(first).toMatchObject({ verdict: 'offline', reason: 'configuration' });
    expect(h.core.worker.paused).toMatch(/configuration/);
    const second = await submit(h, orders[1]!.order_id);
    expect(second).toMatchObject({ verdict: 'offline', reason: 'configuration' });
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sandbox.counts().verifyRequests).toBe(1);
    expect(outboxStates(h.core)).toEqual({ needs_attention: 1, queued: 1 });
    h.core.worker.resume();
    await until(() => outboxStates(h!.core).verified === 1, 10_000, 'queued item sent after resume');
  });
});
