import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { startHarness, until, type Harness } from '../../support/core-harness';
import { addScans } from './rows';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function unlocked(harness: Harness) {
  const call = (channel: string, input: Record<string, unknown> = {}) => dispatch(harness.core.routes, channel, input);
  const grant = await call('supervisor.pin.set', { pin: '135790' });
  if (!grant.ok) throw new Error('no session');
  const session = (grant.value as { token: string }).token;
  return async <T>(channel: string, input: Record<string, unknown> = {}): Promise<T> => {
    const result = await call(channel, { session, ...input });
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
}

describe('supervisor queue', () => {
  it('lists needs_attention items with their reason, retries one now and marks another handled', async () => {
    h = await startHarness({ orders: [] });
    const now = Date.now();
    const [a, b] = addScans(h.core.db, [
      {
        at: now - 60_000,
        display: 'CODE0001',
        orderId: '9000000000000000001',
        state: 'needs_attention',
        reason: 'invalid_request · 2190008',
      },
      {
        at: now - 30_000,
        display: 'CODE0002',
        orderId: '9000000000000000002',
        state: 'needs_attention',
        reason: 'configuration · 2190004',
      },
    ]);
    const sup = await unlocked(h);
    const view = await sup<{ items: { outboxId: number; lastReason: string; lastLogid: string }[] }>('supervisor.queue');
    expect(view.items.map((i) => i.lastReason)).toEqual(['invalid_request · 2190008', 'configuration · 2190004']);
    expect(h.core.status().queue.needsAttention).toBe(2);

    await sup('supervisor.queue.handled', { outboxId: b!.outboxId, note: '已电话联系游客，人工核销' });
    const after = await sup<{ items: { outboxId: number }[] }>('supervisor.queue');
    expect(after.items.map((i) => i.outboxId)).toEqual([a!.outboxId]);
    expect(h.core.status().queue.needsAttention).toBe(1);
    // Nothing was deleted: the item and its resolution are both still there.
    expect(h.core.db.prepare('SELECT state FROM outbox WHERE id = ?').get(b!.outboxId)).toEqual({ state: 'needs_attention' });
    expect(h.core.db.prepare('SELECT note FROM outbox_resolutions').all()).toEqual([{ note: '已电话联系游客，人工核销' }]);

    // The sandbox has no such order, so the retried item is sent and settles as Douyin answers.
    await sup('supervisor.queue.retry', { outboxId: a!.outboxId });
    await until(
      () =>
        (h!.core.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE outbox_id = ?').get(a!.outboxId) as { n: number }).n === 2,
      10_000,
      'retry sent',
    );
    await expect(sup('supervisor.queue.handled', { outboxId: 999, note: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    const [done] = addScans(h.core.db, [{ at: now, display: 'CODE0003', orderId: '9000000000000000003', state: 'verified' }]);
    await expect(sup('supervisor.queue.handled', { outboxId: done!.outboxId, note: 'x' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(sup('supervisor.queue.retry', { outboxId: done!.outboxId })).rejects.toMatchObject({ code: 'conflict' });
    const audit = await sup<{ action: string }[]>('supervisor.audit', { limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['queue_retry', 'queue_handled']));
  });
});

describe('closing a shift', () => {
  it('counts by outcome and project from the last close to now, and keeps each close as printed', async () => {
    h = await startHarness({ orders: [] });
    // The queued scan must still be queued at the close: with Douyin reachable the worker would
    // send it (the sandbox has no such order) and it would need attention before the close ran.
    h.sandbox.setOffline(true);
    const now = Date.now();
    addScans(h.core.db, [
      { at: now - 5000, display: 'S1', project: '入园', state: 'verified' },
      { at: now - 4000, display: 'S2', project: '入园', state: 'queued' },
      { at: now - 3000, display: 'S3', project: '索道', state: 'rejected' },
      { at: now - 2000, display: 'S4', project: null },
    ]);
    const sup = await unlocked(h);
    const first = await sup<{ closeId: number; total: number; byOutcome: Record<string, number>; byProject: unknown[] }>(
      'supervisor.shift.close',
    );
    expect(first.total).toBe(4);
    expect(first.byOutcome).toEqual({
      verified: 1,
      rejected: 1,
      pending: 1,
      needs_attention: 0,
      refused: 1,
      conflict: 0,
      already_used: 0,
      refunded: 0,
      undone: 0,
    });
    expect(first.byProject).toEqual([
      { project: '入园', total: 2, verified: 1, pending: 1, people: 2, amountFen: 0 },
      { project: '', total: 1, verified: 0, pending: 0, people: 0, amountFen: 0 },
      { project: '索道', total: 1, verified: 0, pending: 0, people: 0, amountFen: 0 },
    ]);

    await new Promise((r) => setTimeout(r, 5));
    addScans(h.core.db, [{ at: Date.now(), display: 'S5', project: '入园', state: 'verified' }]);
    const open = await sup<{ total: number; closeId: number | null }>('supervisor.shift.current');
    expect(open).toMatchObject({ total: 1, closeId: null });
    const second = await sup<{ total: number; closeId: number }>('supervisor.shift.close');
    expect(second).toMatchObject({ total: 1, closeId: first.closeId + 1 });
    expect(await sup('supervisor.printReport', { closeId: first.closeId })).toEqual(first);
    expect(await sup('supervisor.printReport', {})).toEqual(second);
  });
});
