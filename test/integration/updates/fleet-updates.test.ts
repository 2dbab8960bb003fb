import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateFacts } from '../../../electron/core/host/protocol';
import { createUpdater, keptInstallerCheck, type UpdaterOptions } from '../../../electron/main/updater';
import { UpdateStore } from '../../../electron/main/update-store';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import type { HubServer } from '../../../hub/server';
import { fail, type Result } from '../../../shared/ipc/result';
import { superviseForkedCore, type SupervisedCore } from '../../support/core-child';
import {
  eventually,
  nsisRelease,
  pairedDataDir,
  startTestHub,
  startTestPostgres,
  TEST_ADMIN_TOKEN as ADMIN,
} from '../../support/hub';
import { nodeNsisUpdater } from '../../support/node-updater';
import { tempDir } from '../../support/temp';

/** Nothing listens here: Douyin is unreachable, so a scan is accepted offline and stays queued. */
const NO_DOUYIN = 'http://127.0.0.1:9';
let postgres: LocalPostgres;
let db: Db;
let hub: HubServer;
const release = nsisRelease('1.1.0', 200_000);
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  hub = await startTestHub(db, { douyinUrl: NO_DOUYIN });
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
    await signIn(core);
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

  it('a signed release: a kept installer is checked again just before it runs; one changed since is removed, not run', async () => {
    const dir = tempDir('tw-update-signed-');
    cleanup.push(() => dir.remove());
    const signedBy = (file: string) => /signed by (.+)$/.exec(readFileSync(file, 'utf8'))?.[1] ?? null;
    const { run, store, lines, launched } = updaterRig(dir.path, undefined, { publisher: '某某景区科技有限公司', signedBy });
    const keep = (version: string, text: string) => {
      const file = join(dir.path, `Ticket-Window-Setup-${version}.exe`);
      writeFileSync(file, text);
      store.keep(version, file);
    };
    const onTrial = { ...store.read(), trial: { version: '1.1.0', from: '1.0.0', starts: 0 } };

    // Changed in the data folder after its download: it does not run, elevated or not.
    keep('1.0.0', 'the 1.0.0 installer, changed, signed by somebody else');
    store.write(onTrial);
    expect(await run('1.1.0').coreFailed('the core process exited (1)')).toBe('continue');
    expect(launched).toEqual([]);
    expect(store.kept()).not.toContain('1.0.0');
    expect(lines.join('\n')).toMatch(/kept installer of 1\.0\.0 is not run, and removed: not signed by 某某景区科技有限公司/);

    // As signed: it runs.
    keep('1.0.0', 'the 1.0.0 installer, signed by 某某景区科技有限公司');
    store.write(onTrial);
    expect(await run('1.1.0').coreFailed('the core process exited (1)')).toBe('installing');
    expect(launched).toEqual([[store.installerOf('1.0.0'), ['--updated', '/S', '--force-run']]]);
  });

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

/**
 * Main's updater as index.ts makes it, over electron-updater's real NsisUpdater; installers are
 * recorded, not run. Without a core, main's questions go unanswered (as while it is not up).
 * `signed`: the release names its publisher, and `signedBy` stands in for Windows' Authenticode.
 */
function updaterRig(
  dataDir: string,
  core?: SupervisedCore['core'],
  signed?: { publisher: string; signedBy: (file: string) => string | null },
) {
  const lines: string[] = [];
  const launched: [string, string[]][] = [];
  let quits = 0;
  const run = (running: string) => {
    const updater = nodeNsisUpdater(join(dataDir, `electron-${running}`), running, signed?.publisher);
    if (signed) {
      updater.verifyUpdateCodeSignature = (names, file) => {
        const by = signed.signedBy(file);
        return Promise.resolve(by !== null && names.includes(by) ? null : `not signed by ${names.join(', ')}`);
      };
    }
    return createUpdater({
      updater,
      store: new UpdateStore(dataDir, (error) => lines.push(`unreadable: ${String(error)}`)),
      running,
      ask: (request) => core?.update(request) ?? Promise.resolve(fail('recovering', 'the core is not started')),
      log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
      // No elevate.exe here: the installer is started as it is.
      resourcesPath: dataDir,
      launch: (command, args) => launched.push([command, args]),
      quit: () => quits++,
      afterSignOutMs: 50,
      verifyInstaller: keptInstallerCheck(updater),
    } satisfies UpdaterOptions);
  };
  return { run, store: new UpdateStore(dataDir, () => undefined), lines, launched, quits: () => quits };
}

/** Signs 0001 in (the first supervisor, created on first run). */
async function signIn(core: SupervisedCore['core']): Promise<void> {
  value(await core.call('supervisor.pin.set', { pin: '246810' }));
  value(await core.call('shift.signIn', { staffNo: '0001', pin: '246810' }));
}

describe('main’s updater with the real electron-updater (NsisUpdater over Node’s http), the real core and the real hub', () => {
  it('downloads in the background, installs only once nobody is at work, and a new version whose core fails goes back and is reported', async () => {
    const { dir, windowId } = await pairedDataDir(hub.url, ADMIN, '3号窗口');
    cleanup.push(() => dir.remove());
    const { core } = windowCore(dir.path);
    await core.started;
    const { run, store, lines, launched, quits } = updaterRig(dir.path, core);

    // 1.0.0, installed by hand: the screen loads, the first round checks the hub and downloads 1.1.0.
    const first = run('1.0.0');
    expect(await first.atLaunch()).toBe('continue');
    first.ready();
    await eventually(() => store.read().downloaded === '1.1.0', `the download of 1.1.0 (${lines.join(' | ')})`);
    first.stop();
    const kept = store.installerOf('1.1.0');
    expect(createHash('sha512').update(readFileSync(kept)).digest('base64')).toBe(release.sha512);
    expect(launched).toEqual([]);

    // The next start-up while someone's shift is open: nothing is installed.
    await signIn(core);
    const busy = run('1.0.0');
    expect(await busy.atLaunch()).toBe('continue');
    expect(await busy.beforeWindow()).toBe('continue');
    expect(lines.at(-1)).toMatch(/update 1\.1\.0 waits: shift_open/);
    value(await core.call('shift.signOut', {}));
    // The shift's history is not at the hub yet: still nothing installed, until it is.
    if ((await factsOf(core)).unsynced > 0) {
      expect(await busy.beforeWindow()).toBe('continue');
      expect(lines.at(-1)).toMatch(/update 1\.1\.0 waits: unsynced/);
    }
    await eventually(async () => (await factsOf(core)).unsynced === 0, 'the shift history at the hub');

    // Nobody at work, nothing unsynced: the kept installer runs as electron-updater would run it.
    expect(await busy.beforeWindow()).toBe('installing');
    expect(launched).toEqual([[kept, ['--updated', '/S', '--force-run']]]);
    expect(quits()).toBe(1);
    expect(store.read().trial).toEqual({ version: '1.1.0', from: '1.0.0', starts: 0 });

    // 1.1.0 starts and its core does not come up. An installer of 1.0.0 kept from an earlier
    // update is there: main runs it before any window opens.
    const earlier = join(dir.path, 'Ticket-Window-Setup-1.0.0.exe');
    writeFileSync(earlier, 'the 1.0.0 installer');
    store.keep('1.0.0', earlier);
    const broken = run('1.1.0');
    expect(await broken.atLaunch()).toBe('continue');
    expect(await broken.coreFailed('the core process exited (1) before it was ready')).toBe('installing');
    expect(launched.at(-1)).toEqual([store.installerOf('1.0.0'), ['--updated', '/S', '--force-run']]);
    expect(store.read()).toMatchObject({ trial: null, failed: ['1.1.0'] });

    // Back on 1.0.0: its screen loads and the report reaches the hub, signed by the core.
    const back = run('1.0.0');
    expect(await back.atLaunch()).toBe('continue');
    back.ready();
    await eventually(async () => store.read().unreported.length === 0, 'the rollback report');
    back.stop();
    const reports = await db.query('SELECT event, version, other_version FROM update_reports WHERE window_id = $1', [windowId]);
    expect(reports.rows).toEqual([{ event: 'rolled_back', version: '1.1.0', other_version: '1.0.0' }]);
    expect(store.read().downloaded).toBeNull();
  }, 90_000);

  it('installs after a sign-out, once the shift’s history is at the hub', async () => {
    const { dir } = await pairedDataDir(hub.url, ADMIN, '4号窗口');
    cleanup.push(() => dir.remove());
    const { core } = windowCore(dir.path);
    await core.started;
    const { run, store, lines, launched, quits } = updaterRig(dir.path, core);
    await signIn(core);
    const working = run('1.0.0');
    expect(await working.atLaunch()).toBe('continue');
    working.ready();
    await eventually(() => store.read().downloaded === '1.1.0', `the download of 1.1.0 (${lines.join(' | ')})`);
    // Downloaded mid-shift: it waits.
    expect(launched).toEqual([]);

    value(await core.call('shift.signOut', {}));
    await eventually(async () => (await factsOf(core)).unsynced === 0, 'the shift history at the hub');
    working.signedOut();
    await eventually(() => launched.length === 1, `the install after the sign-out (${lines.join(' | ')})`);
    working.stop();
    expect(launched).toEqual([[store.installerOf('1.1.0'), ['--updated', '/S', '--force-run']]]);
    expect(quits()).toBe(1);
    expect(store.read().trial).toEqual({ version: '1.1.0', from: '1.0.0', starts: 0 });
  }, 90_000);
});
