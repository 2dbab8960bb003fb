import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreWithParts } from '../../../electron/core/app';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox, type Sandbox } from '../../../electron/sandbox';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { startHubServer, type HubServer } from '../../../hub/server';
import { createSiteToken, type SiteToken } from '../../../hub/site-token';
import { todaysOrders } from '../../support/core-harness';
import { startPairedWindow, startTestPostgres } from '../../support/hub';

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
  const siteToken: SiteToken = createSiteToken(db, {
    douyin: { baseUrl: douyinUrl, clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET, timeoutMs: 500 },
  });
  const server = await startHubServer({ db, siteToken, adminToken: 'admin-token-for-tests' });
  opened.push({ close: async () => (await server.close(), siteToken.close()) });
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
