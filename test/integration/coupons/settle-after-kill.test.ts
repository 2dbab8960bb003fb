import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { plainCodec } from '../../../electron/core/secrets/store';
import { createManualClock, DEMO_POI_ID, startSandbox, type ManualClock, type Sandbox } from '../../../electron/sandbox';
import { startChild, type ChildHandle } from '../../chaos/support/child';
import { withReadOnly } from '../../chaos/support/db';
import { sandboxEnv, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';
import { ONE } from './harness';

const SCAN_CHILD = 'test/chaos/support/scan-child.ts';
/** Longer than the sandbox's verify_token life (10 minutes): the retry's token is refused. */
const PAST_TOKEN_LIFE_MS = 11 * 60_000;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Rig {
  sandbox: Sandbox;
  clock: ManualClock;
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

async function rig(): Promise<Rig> {
  // The sandbox's clock is the test's: it can age a verify_token without waiting ten minutes.
  const clock = createManualClock(Date.now());
  const sandbox = await startSandbox({ now: clock.now });
  cleanup.push(() => sandbox.close());
  const dir = tempDir('tw-coupon-kill-');
  cleanup.push(() => dir.remove());
  const setup = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
  });
  setup.settings.update({ poiId: DEMO_POI_ID, answerBudgetMs: 800 });
  await setup.close();
  return { sandbox, clock, dataDir: dir.path, env: { ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dir.path } };
}

/** The window's real core in its own process scans the one-certificate coupon; returns it running. */
async function scanInChild(r: Rig): Promise<ChildHandle> {
  const child = startChild(SCAN_CHILD, { ...r.env, CHAOS_SCANS: JSON.stringify([ONE.code]) });
  cleanup.push(() => child.kill());
  await child.waitFor((l) => l.ready === true, 30_000);
  return child;
}

async function restart(r: Rig): Promise<CoreWithParts> {
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: r.dataDir,
    env: sandboxEnv(r.sandbox),
    secretCodec: plainCodec,
    heartbeatMs: 100,
  });
  cleanup.push(() => core.close());
  return core;
}

const itemOf = (core: CoreWithParts) =>
  core.db.prepare(`SELECT id, state, last_reason FROM outbox WHERE kind = 'coupon'`).get() as {
    id: number;
    state: string;
    last_reason: string | null;
  };
const attemptsOf = (core: CoreWithParts, outboxId: number) =>
  (core.db.prepare(`SELECT outcome FROM attempts WHERE outbox_id = ? ORDER BY id`).all(outboxId) as { outcome: string }[]).map(
    (a) => a.outcome,
  );
const verifyIdKept = (core: CoreWithParts) =>
  (
    core.db.prepare(`SELECT verify_id FROM coupon_certificates WHERE certificate_id = ?`).get(ONE.cert) as {
      verify_id: string | null;
    }
  ).verify_id;

/** The answer the child printed before it died, if it lived that long: never a success. */
function shownOf(child: ChildHandle): { verdict: string; reason: string } | undefined {
  const line = child.lines.find(
    (l): l is { shown: { verdict: string; reason: string } } => typeof l === 'object' && l !== null && 'shown' in l,
  );
  return line?.shown;
}

describe('a coupon verify SIGKILLed between send and answer settles exactly once at restart (coupons issue)', () => {
  it('Douyin verified it; the restart retries with the same verify_token, reads 1208 as ours and keeps the verify_id', async () => {
    const r = await rig();
    r.sandbox.coupons.injectFault('verify', { kind: 'hold', ms: 60_000, afterProcessing: true }, 1);
    const child = await scanInChild(r);
    await until(() => r.sandbox.coupons.verificationsOf(ONE.cert) === 1, 20_000, 'Douyin to verify');
    // Past the answer budget: the staff have been told "checking with Douyin", amber, not admitted.
    await child.waitFor((l) => 'shown' in l, 5_000);
    expect(shownOf(child)).toEqual(expect.objectContaining({ verdict: 'offline', reason: 'coupon_checking' }));
    await child.kill('SIGKILL');
    expect(withReadOnly(r.dataDir, (db) => db.prepare(`SELECT state FROM outbox`).get())).toEqual({ state: 'sending' });

    const core = await restart(r);
    await until(() => itemOf(core).state === 'verified', 20_000, 'the settlement');
    expect(r.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);
    expect(r.sandbox.coupons.requestCount('prepare')).toBe(1);
    expect(attemptsOf(core, itemOf(core).id)).toEqual(['transient:interrupted', 'verified']);
    expect(verifyIdKept(core)).toBe(r.sandbox.coupons.stateOf(ONE.cert)!.verifyId);
  });

  it('Douyin verified it and the token expired meanwhile: the status query settles it as verified, no fresh prepare', async () => {
    const r = await rig();
    r.sandbox.coupons.injectFault('verify', { kind: 'hold', ms: 60_000, afterProcessing: true }, 1);
    const child = await scanInChild(r);
    await until(() => r.sandbox.coupons.verificationsOf(ONE.cert) === 1, 20_000, 'Douyin to verify');
    await child.kill('SIGKILL');
    r.clock.advance(PAST_TOKEN_LIFE_MS);

    const getsBefore = r.sandbox.coupons.requestCount('get');
    const core = await restart(r);
    await until(() => itemOf(core).state === 'verified', 20_000, 'the settlement');
    expect(r.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);
    // One prepare ever (the scan's own), a refused retry, then the status query.
    expect(r.sandbox.coupons.requestCount('prepare')).toBe(1);
    expect(r.sandbox.coupons.requestCount('verify')).toBe(2);
    expect(r.sandbox.coupons.requestCount('get')).toBe(getsBefore + 1);
    expect(verifyIdKept(core)).toBe(r.sandbox.coupons.stateOf(ONE.cert)!.verifyId);
    const scan = core.db.prepare(`SELECT outcome FROM scans`).get() as { outcome: string };
    expect(scan.outcome).toBe('verified');
  });

  it('Douyin never processed it and the token expired: the status query says unused, so it ends not verified', async () => {
    const r = await rig();
    // The request reaches the sandbox and waits there; the window dies before Douyin acts on it.
    r.sandbox.coupons.injectFault('verify', { kind: 'hold', ms: 3_000, afterProcessing: false }, 1);
    const child = await scanInChild(r);
    await until(() => r.sandbox.coupons.requestCount('verify') === 1, 20_000, 'the verify to be sent');
    await child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    expect(r.sandbox.coupons.verificationsOf(ONE.cert)).toBe(0);
    r.clock.advance(PAST_TOKEN_LIFE_MS);

    const core = await restart(r);
    await until(() => itemOf(core).state === 'rejected', 20_000, 'the settlement');
    expect(r.sandbox.coupons.verificationsOf(ONE.cert)).toBe(0);
    expect(r.sandbox.coupons.stateOf(ONE.cert)!.state).toBe('unused');
    expect(r.sandbox.coupons.requestCount('prepare')).toBe(1);
    expect(itemOf(core).last_reason).toContain('抖音未核销');
    expect(verifyIdKept(core)).toBeNull();
  });
});
