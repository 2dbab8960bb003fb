import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../electron/core/app';
import { connectPlatform } from '../../electron/platform/connect';
import { plainCodec } from '../../electron/core/secrets/store';
import { startSandbox } from '../../electron/sandbox';
import { sandboxEnv, until } from '../support/core-harness';
import { tempDir } from '../support/temp';
import { chaosOrders, report } from './support/config';
import { history, outboxStateCounts } from './support/db';
import { auditLedger, type Shown } from './support/ledger-check';

const HOUR = 3_600_000;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function jumpyCore(prefix: string, count: number) {
  const orderBook = chaosOrders(count, prefix);
  const sandbox = await startSandbox({ orders: orderBook });
  cleanup.push(() => sandbox.close());
  const dir = tempDir('tw-chaos-time-');
  cleanup.push(() => dir.remove());
  let offset = 0;
  // The app's own heartbeat (30 s): a stall would show as a drain that waits for it, or longer.
  const core: CoreWithParts = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
    now: () => Date.now() + offset,
  });
  cleanup.push(() => core.close());
  core.settings.update({ answerBudgetMs: 1000 });
  const shown: Shown[] = [];
  const scan = async (orderId: string) => {
    const a = await core.routes['scan.submit']({ raw: orderId, source: 'scanner' });
    shown.push({ orderId, scanId: a.scanId, verdict: a.verdict, reason: a.reason, at: a.at, repeated: a.repeated ?? false });
    return a;
  };
  const pending = () => {
    const s = outboxStateCounts(core.db);
    return (s.queued ?? 0) + (s.sending ?? 0);
  };
  return { sandbox, core, orders: orderBook.map((o) => o.order_id), shown, scan, pending, jump: (ms: number) => (offset += ms) };
}

describe('clock jumps', () => {
  it('drains queued items in bounded time after the clock jumps back or forward by hours; verify_time stays the scan time', async () => {
    const t = await jumpyCore('85', 30);
    const figures: Record<string, number> = {};

    // 1. Douyin unreachable: items wait on the offline backoff. Then the clock goes back 3 h.
    t.sandbox.setOffline(true);
    for (const id of t.orders.slice(0, 10)) expect((await t.scan(id)).verdict).toBe('offline');
    t.jump(-3 * HOUR);
    t.sandbox.setOffline(false);
    let started = Date.now();
    await until(() => t.pending() === 0, 60_000, 'drain after the clock went back 3 h (offline backoff)');
    figures.chaos_time_back_offline_drain_ms = Date.now() - started;

    // 2. Douyin busy: items back off on a real answer (5 s), then the clock goes back 6 h.
    t.sandbox.failNext(5, 2100004);
    for (const id of t.orders.slice(10, 15)) expect((await t.scan(id)).verdict).toBe('offline');
    await until(
      () => (t.core.db.prepare(`SELECT COUNT(*) AS n FROM attempts`).get() as { n: number }).n >= 15,
      10_000,
      'busy answers',
    );
    t.jump(-6 * HOUR);
    started = Date.now();
    await until(() => t.pending() === 0, 20_000, 'drain after the clock went back 6 h (busy backoff)');
    figures.chaos_time_back_busy_drain_ms = Date.now() - started;

    // 3. The clock jumps forward 5 h with items queued: they are simply due.
    t.sandbox.setOffline(true);
    for (const id of t.orders.slice(15, 25)) expect((await t.scan(id)).verdict).toBe('offline');
    t.jump(5 * HOUR);
    t.sandbox.setOffline(false);
    started = Date.now();
    await until(() => t.pending() === 0, 60_000, 'drain after the clock went forward 5 h');
    figures.chaos_time_forward_drain_ms = Date.now() - started;

    const audit = auditLedger(t.shown, history(t.core.db), t.sandbox.ledger());
    figures.chaos_time_items = t.shown.length;
    figures.chaos_time_lost = audit.lost;
    figures.chaos_time_duplicated = audit.duplicated;
    report('chaos: clock jumps', figures);
    // verify_time is checked here too: each ledger entry carries its own scan's time.
    expect(audit.problems).toEqual([]);
    expect(outboxStateCounts(t.core.db)).toEqual({ verified: 25 });
  });

  // Found by this suite: the duplicate-scan guard matched any scan with scanned_at >= now - window,
  // so after the clock went back a scan from "the future" counted as a repeat for hours and its
  // old answer (verified, admit) was shown again. Fixed in 282896a (guard bounded above).
  it('after the clock goes back, a ticket verified "later" is not admitted again as a repeat', async () => {
    const t = await jumpyCore('86', 2);
    const first = await t.scan(t.orders[0]!);
    expect(first.verdict).toBe('verified');
    t.jump(-2 * HOUR);
    const again = await t.scan(t.orders[0]!);
    expect(again.admit).toBe(false);
    expect(again.reason).toBe('already_used');
  });
});
