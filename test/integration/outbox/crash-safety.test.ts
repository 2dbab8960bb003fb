import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, DATABASE_FILE } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { plainCodec } from '../../../electron/core/secrets/store';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import { sandboxEnv, todaysOrders, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

const ROOT = resolve(import.meta.dirname, '../../..');
const ROUNDS = 20;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Starts the worker in its own process; resolves once it says it is ready. */
async function startChild(dataDir: string, sandbox: Sandbox) {
  // tsx as a loader inside the one process: its CLI would run the core in a grandchild that a
  // SIGKILL of the CLI leaves running.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/drain-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error('child did not start')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function states(dataDir: string): Record<string, number> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const rows = db.prepare(`SELECT state, COUNT(*) AS n FROM outbox GROUP BY state`).all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(
    `loses and duplicates nothing when the worker process is SIGKILLed ${ROUNDS} times mid-drain`,
    { timeout: 300_000 },
    async () => {
      const orders = todaysOrders(40);
      const dir = tempDir('tw-kill-');
      cleanup.push(async () => dir.remove());
      const sandbox = await startSandbox({ orders });
      cleanup.push(() => sandbox.close());

      // Queue everything through the real scan path while Douyin is unreachable.
      const core = await createCoreWithParts({
        connectPlatform,
        dataDir: dir.path,
        env: sandboxEnv(sandbox),
        secretCodec: plainCodec,
      });
      core.settings.update({ verifyRatePerSecond: 40, answerBudgetMs: 500 });
      sandbox.setOffline(true);
      const scannedAt = new Map<string, number>();
      for (const order of orders) {
        const answer = await core.routes['scan.submit']({ raw: order.order_id, source: 'scanner' });
        expect(answer.verdict).toBe('offline');
        scannedAt.set(order.order_id, answer.at);
      }
      await core.close();
      sandbox.setOffline(false);
      // Slow answers widen the window in which a kill lands between "sent" and "recorded".
      sandbox.setLatency(20, 20);

      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      let killedMidDrain = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const child = await startChild(dir.path, sandbox);
        await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
        await child.kill();
        const now = states(dir.path);
        if ((now.verified ?? 0) < orders.length) killedMidDrain += 1;
      }
      const last = await startChild(dir.path, sandbox);
      cleanup.push(() => last.kill());
      await until(() => (states(dir.path).verified ?? 0) === orders.length, 60_000, 'final drain');

      expect(killedMidDrain).toBeGreaterThan(0);
      expect(states(dir.path)).toEqual({ verified: orders.length });
      expect(sandbox.ledger()).toHaveLength(orders.length);
      for (const order of orders) {
        expect(sandbox.verificationsOf(order.order_id)).toBe(1);
        const entry = sandbox.ledger().find((e) => e.order_id === order.order_id)!;
        expect(entry.verify_time).toBe(String(Math.floor(scannedAt.get(order.order_id)! / 1000)));
      }
    },
  );
});
