import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_POI_ID, startSandbox, type Sandbox } from '../../../electron/sandbox';
import type { Result } from '../../../shared/ipc/result';
import { withReadOnly } from '../../chaos/support/db';
import { superviseForkedCore } from '../../support/core-child';
import { presetDataDir, sandboxEnv, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';
import { THREE } from './harness';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const value = <T>(result: Result<unknown>) => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

interface Item {
  state: string;
  order_id: string;
  request: string;
  attempts: string[];
}

/** A window admitting offline coupons, its core in its own process under main's supervision. */
async function rig() {
  const sandbox: Sandbox = await startSandbox();
  cleanup.push(() => sandbox.close());
  const dir = tempDir('tw-offline-coupon-kill-');
  cleanup.push(() => dir.remove());
  await presetDataDir(dir.path, sandbox, { poiId: DEMO_POI_ID, offlineCoupons: 'admit' });
  const supervised = superviseForkedCore({
    ...sandboxEnv(sandbox),
    TICKET_WINDOW_DATA_DIR: dir.path,
    TICKET_WINDOW_HEARTBEAT_MS: '100',
  });
  cleanup.push(() => supervised.close());
  await supervised.core.started;
  const itemOf = (): Item =>
    withReadOnly(dir.path, (db) => {
      const item = db.prepare(`SELECT id, state, order_id, request FROM outbox WHERE kind = 'coupon'`).get() as Item & {
        id: number;
      };
      const attempts = db.prepare('SELECT outcome FROM attempts WHERE outbox_id = ? ORDER BY id').all(item.id) as {
        outcome: string;
      }[];
      return { state: item.state, order_id: item.order_id, request: item.request, attempts: attempts.map((a) => a.outcome) };
    });
  return { sandbox, dir, ...supervised, itemOf };
}

describe('an offline-admitted coupon SIGKILLed between its prepare write and the verify answer (coupons issue items 3 and 4)', () => {
  for (const douyin of [
    { acted: true, what: 'Douyin verified it: the restart retries with the prepare’s token and reads 1208 as ours' },
    { acted: false, what: 'Douyin had not acted: the restart sends the same verify again, never a fresh prepare' },
  ]) {
    it(`settles exactly once — ${douyin.what}`, async () => {
      const { sandbox, core, forks, states, itemOf, dir } = await rig();
      sandbox.setOffline(true);
      const asked = value<{ scanId: number; reason: string }>(
        await core.call('scan.submit', { raw: THREE.code, source: 'keyboard' }),
      );
      expect(asked.reason).toBe('coupon_offline_count');
      const admitted = value<{ admit: boolean; at: number }>(
        await core.call('scan.confirmCoupon', { scanId: asked.scanId, count: 2 }),
      );
      expect(admitted.admit).toBe(true);

      // The verify reaches the sandbox and its answer never comes back (Douyin acts on it, or not).
      sandbox.coupons.injectFault('verify', { kind: 'hold', ms: 60_000, afterProcessing: douyin.acted }, 1);
      sandbox.setOffline(false);
      value(await core.call('queue.wake', {}));
      await until(() => sandbox.coupons.requestCount('verify') === 1, 20_000, 'the verify to be sent');
      if (douyin.acted) {
        await until(() => sandbox.coupons.verificationsOf(THREE.certs[0]!) === 1, 20_000, 'Douyin to verify');
      }
      // On disk before the verify went: the prepare's answer and the verify request, one commit.
      const before = itemOf();
      expect(before).toMatchObject({ state: 'sending', order_id: THREE.order });
      expect(before.request).not.toContain('offline_prepare');
      expect(before.attempts.at(-1)).toBe('prepared');
      forks.at(-1)!.process.kill('SIGKILL');

      // 'ready' is reported only for a restart, not for the first start.
      await until(() => states.includes('ready'), 45_000, 'the restarted core');
      value(await core.call('queue.wake', {}));
      await until(() => itemOf().state === 'verified', 30_000, 'the settlement');
      expect(THREE.certs.map((c) => sandbox.coupons.verificationsOf(c))).toEqual([1, 1, 0]);
      // One prepare ever (the worker's, once Douyin answered); the verify sent twice with one token.
      expect(sandbox.coupons.requestCount('prepare')).toBe(1);
      expect(sandbox.coupons.requestCount('verify')).toBe(2);
      const ours = sandbox.coupons.ledger().filter((r) => r.order_id === THREE.order);
      expect(ours.map((r) => r.certificate_id).sort()).toEqual(THREE.certs.slice(0, 2));
      expect(new Set(ours.map((r) => r.verify_token)).size).toBe(1);
      const after = itemOf();
      expect(after.attempts.slice(-3)).toEqual(['prepared', 'transient:interrupted', 'verified']);
      withReadOnly(dir.path, (db) => {
        const scan = db.prepare(`SELECT outcome, people, scanned_at FROM scans`).get();
        expect(scan).toEqual({ outcome: 'verified', people: 2, scanned_at: admitted.at });
        const verifyIds = db
          .prepare('SELECT certificate_id, verify_id FROM coupon_certificates ORDER BY certificate_id')
          .all() as { certificate_id: string; verify_id: string | null }[];
        expect(verifyIds).toEqual(
          THREE.certs.slice(0, 2).map((c) => ({ certificate_id: c, verify_id: sandbox.coupons.stateOf(c)!.verifyId })),
        );
      });
    }, 120_000);
  }
});
