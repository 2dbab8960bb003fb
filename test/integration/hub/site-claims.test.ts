import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreWithParts } from '../../../electron/core/app';
import { DEMO_POI_ID, startSandbox, type Sandbox } from '../../../electron/sandbox';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import type { HubServer } from '../../../hub/server';
import { todaysOrders } from '../../support/core-harness';
import { eventually, startPairedWindow, startTestHub, startTestPostgres } from '../../support/hub';
import { EXPIRED, ONE, THREE } from '../coupons/harness';

const orders = todaysOrders(4, '8');
let postgres: LocalPostgres;
let db: Db;
let sandbox: Sandbox;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  sandbox = await startSandbox({ orders });
}, 30_000);

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

afterAll(async () => {
  await db?.end();
  await sandbox?.close();
  await postgres?.stop();
});

/** A hub whose Douyin is the sandbox, or a dead port (the site's uplink down). */
async function startHub(douyinUrl: string): Promise<HubServer> {
  const server = await startTestHub(db, { douyinUrl });
  opened.push(server);
  return server;
}

/** A window with its own data folder and core, paired with the hub at `pairUrl`, then told `hubUrl`. */
async function startWindow(
  name: string,
  pairUrl: string,
  options: { hubUrl?: string; douyinUrl?: string } = {},
): Promise<CoreWithParts> {
  const window = await startPairedWindow(db, sandbox, {
    name,
    pairUrl,
    hubUrl: options.hubUrl,
    env: options.douyinUrl ? { DOUYIN_OPEN_BASE_URL: options.douyinUrl } : {},
  });
  opened.push(window);
  return window.core;
}

const scanBoth = (a: CoreWithParts, b: CoreWithParts, raw: string) =>
  Promise.all([a.routes['scan.submit']({ raw, source: 'keyboard' }), b.routes['scan.submit']({ raw, source: 'keyboard' })]);

describe('one ticket once across the site', () => {
  it('online: two windows scan one ticket at once, exactly one admits and the other is told where', async () => {
    const hub = await startHub(sandbox.url);
    const [one, two] = [await startWindow('1号窗口', hub.url), await startWindow('2号窗口', hub.url)];
    const answers = await scanBoth(one, two, orders[0]!.order_id);
    expect(answers.filter((a) => a.admit)).toHaveLength(1);
    const refused = answers.find((a) => !a.admit);
    expect(refused).toMatchObject({
      verdict: 'refused',
      reason: 'already_used',
      previous: { windowName: expect.stringMatching(/^[12]号窗口$/) },
    });
    expect(sandbox.counts().verifications).toBe(1);
  });

  it('Douyin unreachable: both windows accept offline by their own rules, but only one admits', async () => {
    const hub = await startHub('http://127.0.0.1:9');
    const uplinkDown = { douyinUrl: 'http://127.0.0.1:9' };
    const [one, two] = [await startWindow('3号窗口', hub.url, uplinkDown), await startWindow('4号窗口', hub.url, uplinkDown)];
    const answers = await scanBoth(one, two, orders[1]!.order_id);
    expect(answers.map((a) => a.verdict).sort()).toEqual(['offline', 'refused']);
    expect(answers.filter((a) => a.admit)).toHaveLength(1);
  });

  it('hub unreachable: each window goes on alone, as without a hub', async () => {
    const hub = await startHub(sandbox.url);
    const [one, two] = [
      await startWindow('5号窗口', hub.url, { hubUrl: 'http://127.0.0.1:9' }),
      await startWindow('6号窗口', hub.url, { hubUrl: 'http://127.0.0.1:9' }),
    ];
    const answers = await scanBoth(one, two, orders[2]!.order_id);
    // No hub, no token: both accept offline, as today.
    expect(answers.map((a) => a.verdict)).toEqual(['offline', 'offline']);
    expect(answers.every((a) => a.admit)).toBe(true);
  });
});

describe('a Douyin-code coupon admitted offline is claimed once across the site (coupons issue item 4, hub issue item 4)', () => {
  const claimOf = async (key: string) =>
    (await db.query<{ n: string }>('SELECT count(*) AS n FROM claims WHERE ticket_key = $1', [key])).rows[0]!.n;

  it('both windows offline from Douyin with admit: exactly one admits, the other is told when and where; the undo releases the claim', async () => {
    const hub = await startHub(sandbox.url);
    const windows = [await startWindow('8号窗口', hub.url), await startWindow('9号窗口', hub.url)];
    for (const core of windows) {
      core.settings.update({ poiId: DEMO_POI_ID, offlineCoupons: 'admit', duplicateWindowSeconds: 0 });
    }
    sandbox.setOffline(true);
    opened.push({ close: async () => sandbox.setOffline(false) });

    const asked = await scanBoth(windows[0]!, windows[1]!, ONE.code);
    expect(asked.map((a) => a.reason)).toEqual(['coupon_offline_count', 'coupon_offline_count']);
    const counted = await Promise.all(
      windows.map((core, i) => core.routes['scan.confirmCoupon']({ scanId: asked[i]!.scanId!, count: 1 })),
    );
    const winner = counted.findIndex((a) => a.admit);
    expect(counted.filter((a) => a.admit)).toHaveLength(1);
    expect(counted[winner]).toMatchObject({ verdict: 'offline', reason: 'coupon_offline_admitted', people: 1 });
    const loser = 1 - winner;
    expect(counted[loser]).toMatchObject({
      verdict: 'refused',
      reason: 'already_used',
      admit: false,
      previous: { windowName: ['8号窗口', '9号窗口'][winner], at: expect.any(Number) },
    });
    expect(await claimOf(`coupon:${ONE.code}`)).toBe('1');
    // The loser queued nothing: only the winner's verify goes to Douyin.
    expect(windows[loser]!.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });

    sandbox.setOffline(false);
    const core = windows[winner]!;
    core.worker.wake({ networkBack: true });
    const stateOf = (scanId: number) =>
      (core.db.prepare('SELECT state FROM outbox WHERE scan_id = ?').get(scanId) as { state: string } | undefined)?.state;
    await eventually(() => stateOf(asked[winner]!.scanId!) === 'verified', 'the winner’s later verify');
    expect(sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);

    const { token: session } = await core.routes['supervisor.pin.set']({ pin: '135790' });
    expect(
      await core.routes['supervisor.coupon.undo']({ session, scanId: asked[winner]!.scanId!, reason: '游客买错票' }),
    ).toEqual({
      state: 'undone',
      message: null,
    });
    await eventually(async () => (await claimOf(`coupon:${ONE.code}`)) === '0', 'the claim released at the hub');

    // Free again: the other window, offline, may now admit it.
    sandbox.setOffline(true);
    const again = await windows[loser]!.routes['scan.submit']({ raw: ONE.code, source: 'keyboard' });
    expect(again.reason).toBe('coupon_offline_count');
    expect(await windows[loser]!.routes['scan.confirmCoupon']({ scanId: again.scanId!, count: 1 })).toMatchObject({
      admit: true,
      reason: 'coupon_offline_admitted',
    });
    expect(await claimOf(`coupon:${ONE.code}`)).toBe('1');
  }, 60_000);

  it('admitted offline at one window, not yet verified: another window online refuses it, though Douyin still offers it', async () => {
    const hub = await startHub(sandbox.url);
    const offline = await startWindow('5号窗口', hub.url, { douyinUrl: 'http://127.0.0.1:9' });
    const online = await startWindow('6号窗口', hub.url);
    for (const core of [offline, online]) {
      core.settings.update({ poiId: DEMO_POI_ID, offlineCoupons: 'admit', duplicateWindowSeconds: 0 });
    }
    const asked = await offline.routes['scan.submit']({ raw: THREE.code, source: 'keyboard' });
    expect(asked.reason).toBe('coupon_offline_count');
    expect(await offline.routes['scan.confirmCoupon']({ scanId: asked.scanId!, count: 1 })).toMatchObject({ admit: true });

    // Douyin's prepare would offer all three certificates: the hub's holder is what says no.
    const answer = await online.routes['scan.submit']({ raw: THREE.code, source: 'keyboard' });
    expect(answer).toMatchObject({
      verdict: 'refused',
      reason: 'already_used',
      admit: false,
      previous: { windowName: '5号窗口' },
    });
    for (const cert of THREE.certs) expect(sandbox.coupons.verificationsOf(cert)).toBe(0);

    // Only asked, never claimed: the hub holds the offline admission's claim alone, and an online
    // scan of a code nobody holds leaves no claim behind.
    expect(await claimOf(`coupon:${THREE.code}`)).toBe('1');
    expect((await online.routes['scan.submit']({ raw: EXPIRED.code, source: 'keyboard' })).admit).toBe(false);
    expect(await claimOf(`coupon:${EXPIRED.code}`)).toBe('0');
  }, 60_000);
});
