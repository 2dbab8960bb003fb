import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const submit = (raw: string) => h!.core.routes['scan.submit']({ raw, source: 'scanner' });
const stateOf = (outboxId: number) =>
  (h!.core.db.prepare('SELECT state FROM outbox WHERE id = ?').get(outboxId) as { state: string }).state;
const outboxOf = (scanId: number) =>
  (h!.core.db.prepare('SELECT id FROM outbox WHERE scan_id = ?').get(scanId) as { id: number }).id;

async function supervisor(): Promise<string> {
  return (await h!.core.routes['supervisor.pin.set']({ pin: '246810' })).token;
}

describe('a repeat scan never admits (defects issue, item 1)', () => {
  it('answers a repeat of an offline-accepted ticket with its own verdict, never admit, even where offline admits', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders, settings: { offlineAdmits: true, duplicateWindowSeconds: 120 } });
    h.sandbox.setOffline(true);
    const first = await submit(orders[0]!.order_id);
    expect(first).toMatchObject({ verdict: 'offline', admit: true });
    const again = await submit(orders[0]!.order_id);
    expect(again).toMatchObject({ verdict: 'repeat', admit: false, scanId: first.scanId, previous: { at: first.at } });
  });

  it('takes the verdict from the item on disk: a ticket Douyin rejected since shows refused', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders, settings: { offlineAdmits: true, duplicateWindowSeconds: 120 } });
    h.sandbox.setOffline(true);
    const first = await submit(orders[0]!.order_id);
    expect(first.verdict).toBe('offline');
    h.sandbox.setOffline(false);
    h.sandbox.failNext(1, 4000001, '订单状态不可核销');
    h.core.worker.wake({ networkBack: true });
    await until(() => stateOf(outboxOf(first.scanId!)) === 'rejected', 20_000, 'the sync to be rejected');
    const again = await submit(orders[0]!.order_id);
    expect(again).toMatchObject({ verdict: 'refused', reason: 'douyin_rejected', admit: false, repeated: true });
  });
});

describe('a ticket used twice while offline is a conflict (defects issue, items 2 and 3)', () => {
  it('records "already verified" to a request that never reached Douyin as used elsewhere, everywhere', async () => {
    // Douyin already holds the ticket as verified (another window, another device).
    const orders = todaysOrders(1).map((o) => ({ ...o, state: 'used' as const }));
    h = await startHarness({ orders, settings: { offlineAdmits: true } });
    h.sandbox.setOffline(true);
    const accepted = await submit(orders[0]!.order_id);
    expect(accepted).toMatchObject({ verdict: 'offline', admit: true });
    h.sandbox.setOffline(false);
    h.core.worker.wake({ networkBack: true });
    const outboxId = outboxOf(accepted.scanId!);
    await until(() => stateOf(outboxId) !== 'queued' && stateOf(outboxId) !== 'sending', 20_000, 'the sync');
    expect(stateOf(outboxId)).toBe('needs_attention');

    const session = await supervisor();
    const history = await dispatch(h.core.routes, 'supervisor.history', { session, filter: {}, limit: 10 });
    expect(history).toMatchObject({
      ok: true,
      value: { rows: [{ id: accepted.scanId, outcome: 'conflict', reason: 'used_elsewhere' }] },
    });
    const verified = await dispatch(h.core.routes, 'supervisor.history', { session, filter: { outcome: 'verified' }, limit: 10 });
    expect(verified).toMatchObject({ ok: true, value: { rows: [] } });
    const conflicts = await dispatch(h.core.routes, 'supervisor.history', {
      session,
      filter: { outcome: 'conflict' },
      limit: 10,
    });
    expect(conflicts).toMatchObject({ ok: true, value: { rows: [{ id: accepted.scanId }] } });
    const queue = await dispatch(h.core.routes, 'supervisor.queue', { session });
    expect(JSON.stringify(queue)).toContain('used_elsewhere');
    const shift = await dispatch(h.core.routes, 'supervisor.shift.current', { session });
    expect(shift).toMatchObject({ ok: true, value: { byOutcome: { conflict: 1, verified: 0 } } });
  });

  it('counts "already verified" after our own interrupted request as our own success', async () => {
    const orders = todaysOrders(1);
    h = await startHarness({ orders });
    const scan = await submit(orders[0]!.order_id);
    expect(scan.verdict).toBe('verified');
    // As after a crash between send and answer: the row back in 'sending', its answer never written.
    const outboxId = outboxOf(scan.scanId!);
    h.core.db.prepare(`UPDATE outbox SET state = 'sending' WHERE id = ?`).run(outboxId);
    h.core.db.prepare(`UPDATE scans SET verdict = 'offline', reason = 'offline_queued' WHERE id = ?`).run(scan.scanId);
    h.core.worker.start();
    await until(() => stateOf(outboxId) === 'verified', 20_000, 'the retry');
    const session = await supervisor();
    const history = await dispatch(h.core.routes, 'supervisor.history', { session, filter: {}, limit: 10 });
    expect(history).toMatchObject({ ok: true, value: { rows: [{ outcome: 'verified' }] } });
  });

  it('counts a ticket the staff saw refused as already used as already used in history, filters and the shift', async () => {
    const orders = todaysOrders(1).map((o) => ({ ...o, state: 'used' as const }));
    h = await startHarness({ orders });
    const answer = await submit(orders[0]!.order_id);
    expect(answer).toMatchObject({ verdict: 'refused', reason: 'already_used' });
    const session = await supervisor();
    const all = await dispatch(h.core.routes, 'supervisor.history', { session, filter: {}, limit: 10 });
    expect(all).toMatchObject({ ok: true, value: { rows: [{ outcome: 'already_used' }] } });
    expect(
      await dispatch(h.core.routes, 'supervisor.history', { session, filter: { outcome: 'verified' }, limit: 10 }),
    ).toMatchObject({ ok: true, value: { rows: [] } });
    expect(
      await dispatch(h.core.routes, 'supervisor.history', { session, filter: { outcome: 'already_used' }, limit: 10 }),
    ).toMatchObject({ ok: true, value: { rows: [{ outcome: 'already_used' }] } });
    expect(await dispatch(h.core.routes, 'supervisor.shift.current', { session })).toMatchObject({
      ok: true,
      value: { byOutcome: { already_used: 1, refused: 0, verified: 0 } },
    });
  });
});
