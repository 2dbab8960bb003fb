import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateFacts } from '../../../electron/core/host/protocol';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { startHubServer, type HubServer } from '../../../hub/server';
import { createSiteToken, type SiteToken } from '../../../hub/site-token';
import type { Result } from '../../../shared/ipc/result';
import { superviseForkedCore, type SupervisedCore } from '../../support/core-child';
import { nsisRelease, pairedDataDir, startTestPostgres } from '../../support/hub';
import { tempDir } from '../../support/temp';

const ADMIN = 'admin-token-for-tests';
/** Nothing listens here: Douyin is unreachable, so a scan is accepted offline and stays queued. */
const NO_DOUYIN = 'http://127.0.0.1:9';
let postgres: LocalPostgres;
let db: Db;
let siteToken: SiteToken;
let hub: HubServer;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  siteToken = createSiteToken(db, { douyin: { baseUrl: NO_DOUYIN, clientKey: 'k', clientSecret: 's' } });
  hub = await startHubServer({ db, siteToken, adminToken: ADMIN });
  const release = nsisRelease('1.1.0', 200_000);
  const admin = (method: 'POST' | 'PUT', path: string, body: string | Buffer) =>
    request(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` }, body }).then(async (answer) => {
      await answer.body.dump();
      if (answer.statusCode !== 200) throw new Error(`${path}: HTTP ${answer.statusCode}`);
    });
  await admin('POST', '/admin/api/releases?channel=stable', release.yml);
  await admin('PUT', '/admin/api/releases/stable/1.1.0/installer', release.installer);
  await admin('POST', '/admin/api/releases/stable/1.1.0/groups', JSON.stringify({ groups: ['all'] }));
}, 60_000);

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await hub?.close();
  siteToken?.close();
  await db?.end();
  await postgres?.stop();
});

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** The real core's process, supervised as main does, on a data folder of its own. */
function windowCore(dataDir: string): SupervisedCore {
  const supervised = superviseForkedCore({
    TICKET_WINDOW_DATA_DIR: dataDir,
    DOUYIN_OPEN_BASE_URL: NO_DOUYIN,
    DOUYIN_CLIENT_KEY: 'window-key',
    DOUYIN_CLIENT_SECRET: 'window-secret',
  });
  cleanup.push(() => supervised.close());
  return supervised;
}

const factsOf = async (core: SupervisedCore['core']) => UpdateFacts.parse(value(await core.update({ op: 'facts' })));

describe('what main’s updater gets from the core (host protocol `update`)', () => {
  it('a paired window: the hub’s feed with a token that reads it, who is at work, what is unsynced, and reports passed on signed', async () => {
    const { dir, windowId } = await pairedDataDir(hub.url, ADMIN, '1号窗口');
    cleanup.push(() => dir.remove());
    const { core } = windowCore(dir.path);
    await core.started;

    const idle = await factsOf(core);
    expect(idle).toMatchObject({ shiftOpen: false, unsynced: 0, feed: { url: `${hub.url}/updates/stable` } });
    // Only a token for the feed reaches main: it names the window and expires, it is not the secret.
    expect(idle.feed!.authorization).toMatch(new RegExp(`^Bearer twu1\\.${windowId}\\.\\d+\\.[\\w-]+$`));
    const secret = (await db.query<{ secret: string }>('SELECT secret FROM windows WHERE id = $1', [windowId])).rows[0]?.secret;
    expect(secret).toBeTruthy();
    expect(idle.feed!.authorization).not.toContain(secret!);

    // electron-updater's generic provider with those headers reads the window's latest.yml.
    const latest = await request(`${idle.feed!.url}/latest.yml`, { headers: { authorization: idle.feed!.authorization } });
    expect(latest.statusCode).toBe(200);
    expect(await latest.body.text()).toMatch(/^version: 1\.1\.0$/m);
    const bare = await request(`${idle.feed!.url}/latest.yml`);
    expect(bare.statusCode).toBe(401);
    await bare.body.dump();

    // Someone signs in: a shift is open until they sign out.
    value(await core.call('supervisor.pin.set', { pin: '246810' }));
    value(await core.call('shift.signIn', { staffNo: '0001', pin: '246810' }));
    expect(await factsOf(core)).toMatchObject({ shiftOpen: true });

    // A scan Douyin cannot take yet is unsynced until it is verified.
    const answer = value<{ verdict: string }>(await core.call('scan.submit', { raw: '8000004478714899970', source: 'scanner' }));
    expect(answer.verdict).toBe('offline');
    expect((await factsOf(core)).unsynced).toBeGreaterThanOrEqual(1);

    value(await core.call('shift.signOut', {}));
    expect(await factsOf(core)).toMatchObject({ shiftOpen: false });

    // A report goes to the hub, signed by the core; the hub then offers this window 1.1.0 no more.
    const report = { event: 'rolled_back' as const, version: '1.1.0', otherVersion: '1.0.0', detail: 'not ready after 3 starts' };
    expect(value(await core.update({ op: 'report', report }))).toEqual({ sent: true });
    const stored = await db.query('SELECT event, version, other_version, detail FROM update_reports WHERE window_id = $1', [
      windowId,
    ]);
    expect(stored.rows).toEqual([
      { event: 'rolled_back', version: '1.1.0', other_version: '1.0.0', detail: 'not ready after 3 starts' },
    ]);
    const after = await request(`${idle.feed!.url}/latest.yml`, { headers: { authorization: idle.feed!.authorization } });
    expect(after.statusCode).toBe(404);
    await after.body.dump();
  }, 60_000);

  it('a window without a hub: no feed, and a report is refused (it waits in main’s state)', async () => {
    const dir = tempDir('tw-update-facts-');
    cleanup.push(() => dir.remove());
    const { core } = windowCore(dir.path);
    await core.started;
    expect(await factsOf(core)).toEqual({ feed: null, shiftOpen: false, unsynced: 0 });
    const refused = await core.update({ op: 'report', report: { event: 'installed', version: '1.1.0' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_available' } });
  }, 60_000);
});
