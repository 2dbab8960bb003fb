import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/app';
import { plainCodec } from '../../../electron/core/secrets/store';
import { startCoreProcess } from '../../../electron/main/core-process';
import { CrashLoopGuard } from '../../../electron/main/recovery';
import { connectPlatform } from '../../../electron/platform/connect';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import type { Result } from '../../../shared/ipc/result';
import { sandboxEnv, todaysOrders, until } from '../../support/core-harness';
import { forkCore, superviseForkedCore } from '../../support/core-child';
import { tempDir } from '../../support/temp';

const ORDERS = 30;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function rig(options: { guard?: CrashLoopGuard } = {}) {
  const orders = todaysOrders(ORDERS, '7');
  const sandbox: Sandbox = await startSandbox({ orders });
  cleanup.push(() => sandbox.close());
  const dir = tempDir('tw-core-process-');
  cleanup.push(() => dir.remove());
  const env = { ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dir.path, TICKET_WINDOW_HEARTBEAT_MS: '100' };
  const supervised = superviseForkedCore(env, options);
  cleanup.push(() => supervised.close());
  const { core, forks, states } = supervised;
  return { sandbox, dir, core, forks, states, orderIds: orders.map((o) => o.order_id) };
}

const value = <T>(result: Result<unknown>) => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('the core in its own process (child_process.fork of the real entry)', () => {
  it('verifies every queued scan exactly once when the core is SIGKILLed during the drain and restarted', async () => {
    const { sandbox, core, forks, states, orderIds } = await rig();
    await core.started;
    // Offline: every scan is accepted offline and queued (amber), fast.
    sandbox.setOffline(true);
    for (const raw of orderIds) {
      const answer = value<{ verdict: string }>(await core.call('scan.submit', { raw, source: 'scanner' }));
      expect(answer.verdict).toBe('offline');
    }
    expect(sandbox.ledger()).toHaveLength(0);

    // Back online but slow, so the drain is under way when the process dies.
    sandbox.setLatency(60, 60);
    sandbox.setOffline(false);
    value(await core.call('queue.wake', {}));
    await until(() => sandbox.ledger().length >= 3, 20_000, 'the drain to start');
    const firstPid = forks[0]!.process.pid;
    forks[0]!.process.kill('SIGKILL');
    expect(sandbox.ledger().length).toBeLessThan(ORDERS);

    // While it restarts, calls answer at once instead of hanging.
    await until(() => states.includes('recovering'), 10_000, 'the supervisor to see the crash');
    await expect(core.call('app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'recovering' } });

    await until(() => states.includes('ready'), 30_000, 'the restarted core');
    expect(forks).toHaveLength(2);
    expect(forks[1]!.process.pid).not.toBe(firstPid);
    value(await core.call('queue.wake', {}));
    await until(() => new Set(sandbox.ledger().map((e) => e.order_id)).size === ORDERS, 60_000, 'every order verified');
    const status = value<{ queue: Record<string, number> }>(await core.call('app.status', {}));
    expect(status.queue).toMatchObject({ queued: 0, needsAttention: 0 });
    const perOrder = new Map<string, number>();
    for (const entry of sandbox.ledger()) perOrder.set(entry.order_id, (perOrder.get(entry.order_id) ?? 0) + 1);
    expect([...perOrder.keys()].sort()).toEqual([...orderIds].sort());
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('closes cleanly when asked: the worker stops, the database closes, the data folder is free again', async () => {
    const { core, forks, dir } = await rig();
    await core.started;
    value(await core.call('scan.submit', { raw: todaysOrders(1, '7')[0]!.order_id, source: 'scanner' }));
    const exited = new Promise<number | null>((r) => forks[0]!.process.once('exit', (code) => r(code)));
    await core.close();
    // close() resolved only after the child said 'closed' and left with 0 (not the timeout's kill).
    await expect(exited).resolves.toBe(0);
    await expect(core.call('app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'recovering' } });
    // The keys the core made at start were sealed by main's codec, on request, and are on disk.
    const sealed = JSON.parse(plainCodec.decrypt(readFileSync(join(dir.path, 'secrets.sealed')))) as Record<string, string>;
    expect(Object.keys(sealed)).toEqual(expect.arrayContaining(['idHashKey', 'payloadKey']));
    // The lock and the database are released: an in-process core opens the same folder and
    // finds those keys (no key-loss notice).
    const again = await createCore({ connectPlatform, dataDir: dir.path, env: {}, secretCodec: plainCodec });
    expect(again.status().secretsLost).toBeNull();
    await again.close();
  }, 60_000);

  it('gives up after repeated crashes, says failed, and answers calls at once', async () => {
    const { core, forks, states } = await rig({ guard: new CrashLoopGuard(1, 60_000) });
    await core.started;
    forks[0]!.process.kill('SIGKILL');
    await until(() => states.includes('ready'), 30_000, 'the one allowed restart');
    forks[1]!.process.kill('SIGKILL');
    await until(() => states.includes('failed'), 10_000, 'the crash-loop guard');
    expect(forks).toHaveLength(2);
    await expect(core.call('app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  }, 60_000);

  it('rejects the start with the reason when the core cannot start (its data folder is in use)', async () => {
    const dir = tempDir('tw-core-process-locked-');
    cleanup.push(() => dir.remove());
    const holder = await createCore({ connectPlatform, dataDir: dir.path, env: {}, secretCodec: plainCodec });
    cleanup.push(() => holder.close());
    const core = startCoreProcess({
      spawn: () => forkCore({ TICKET_WINDOW_DATA_DIR: dir.path }).child,
      codec: plainCodec,
      desktop: async () => true,
      log: silent,
      onEvent: () => undefined,
      onSettings: () => undefined,
      onState: () => undefined,
    });
    await expect(core.started).rejects.toThrow();
  }, 60_000);
});
