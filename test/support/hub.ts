import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { createCoreWithParts, type CoreWithParts } from '../../electron/core/app';
import { pairAndStore } from '../../electron/core/hub/client';
import { plainCodec, SecretStore } from '../../electron/core/secrets/store';
import { connectPlatform } from '../../electron/platform/connect';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, type Sandbox } from '../../electron/sandbox';
import type { Db } from '../../hub/db';
import { startLocalPostgres, type LocalPostgres } from '../../hub/local-postgres';
import { createPairingCode } from '../../hub/pairing';
import { startHubServer, type HubServer } from '../../hub/server';
import { createSiteToken } from '../../hub/site-token';
import type { HubScan } from '../../shared/hub/protocol';
import { sandboxEnv } from './core-harness';
import { tempDir } from './temp';

const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** The admin token of every hub a test starts. */
export const TEST_ADMIN_TOKEN = 'admin-token-for-tests';

/**
 * The hub in this process on `db`. Its site token comes from `douyinUrl` (the sandbox, or by
 * default a port where nothing listens, for tests that never need it); `port` fixes where it
 * listens, for a hub that goes away and comes back where the windows know it. close() stops the
 * server and its token's refresh.
 */
export async function startTestHub(db: Db, options: { douyinUrl?: string; port?: number } = {}): Promise<HubServer> {
  const siteToken = createSiteToken(db, {
    douyin: {
      baseUrl: options.douyinUrl ?? 'http://127.0.0.1:9',
      clientKey: SANDBOX_CLIENT_KEY,
      clientSecret: SANDBOX_CLIENT_SECRET,
      timeoutMs: 500,
    },
  });
  const server = await startHubServer({
    db,
    siteToken,
    adminToken: TEST_ADMIN_TOKEN,
    ...(options.port ? { port: options.port } : {}),
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      siteToken.close();
    },
  };
}

/** A throwaway PostgreSQL cluster in a temp folder on a free port, removed by stop(). */
export async function startTestPostgres(settings: Record<string, string> = {}): Promise<LocalPostgres> {
  const dir = tempDir('tw-hub-pg-');
  // The folder itself is the cluster: initdb (as postgres) cannot enter a root-only parent.
  const pg = await startLocalPostgres(dir.path, await freePort(), settings);
  return {
    ...pg,
    stop: async () => {
      await pg.stop();
      dir.remove();
    },
  };
}

export interface RunningHub {
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL: no clean shutdown, as a power cut or the OOM killer would do it. */
  kill(): Promise<void>;
}

/** `npm run hub` as its own process, waiting for the line it prints when it listens. `nodeArgs`: e.g. `--cpu-prof`. */
export async function startHubProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningHub> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'hub/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HUB_HOST: '127.0.0.1', HUB_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /hub listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A scan as a window's history outbox sends it, admitted unless told otherwise. */
export function hubScan(id: number, scannedAtMs: number, overrides: Partial<HubScan> = {}): HubScan {
  return {
    id,
    scannedAtMs,
    source: 'scanner',
    credentialKind: 'code',
    maskedCode: `TW******${String(id).padStart(4, '0')}`,
    orderId: `80000000000000${String(id).padStart(5, '0')}`,
    projectId: null,
    product: '成人票',
    verdict: 'verified',
    reason: 'verified',
    outcome: 'verified',
    siteClaim: 'claimed',
    operatorNo: '0001',
    shiftId: null,
    people: null,
    amountFen: null,
    queueState: 'verified',
    tries: 1,
    lastReason: null,
    ...overrides,
  };
}

/** A one-time pairing code from the hub's admin API, as a supervisor gets it from the admin page. */
export async function adminPairingCode(hubUrl: string, adminToken: string): Promise<string> {
  const answer = await request(`${hubUrl}/admin/api/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (answer.statusCode !== 200) throw new Error(`pairing code refused: HTTP ${answer.statusCode}`);
  return ((await answer.body.json()) as { code: string }).code;
}

/** A window's data folder whose sealed secrets already hold its pairing with the hub. */
export async function pairedDataDir(
  hubUrl: string,
  adminToken: string,
  name: string,
): Promise<{ dir: ReturnType<typeof tempDir>; windowId: string }> {
  const dir = tempDir('tw-hub-window-');
  const store = await SecretStore.open(dir.path, plainCodec, Date.now);
  const windowId = await pairAndStore(store, hubUrl, { code: await adminPairingCode(hubUrl, adminToken), name });
  return { dir, windowId };
}

export interface PairedWindow {
  core: CoreWithParts;
  windowId: string;
  /** Closes the core and removes its data folder. */
  close(): Promise<void>;
}

/**
 * A window core in a data folder of its own, paired with the hub at `pairUrl` (the code straight
 * from the hub's database) and scanning against the sandbox. `hubUrl` then points it elsewhere
 * (a hub that is not there); `env` adds to the sandbox's environment (e.g. Douyin unreachable).
 */
export async function startPairedWindow(
  db: Db,
  sandbox: Sandbox,
  options: { name: string; pairUrl: string; hubUrl?: string; env?: NodeJS.ProcessEnv; hubSyncMs?: number },
): Promise<PairedWindow> {
  const dir = tempDir('tw-hub-window-');
  const store = await SecretStore.open(dir.path, plainCodec, Date.now);
  const { code } = await createPairingCode(db);
  const windowId = await pairAndStore(store, options.pairUrl, { code, name: options.name });
  if (options.hubUrl) store.set('hubUrl', options.hubUrl);
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    // The tests prove who wins, not how fast (speed is bench/'s): a cold first claim may exceed 300 ms.
    env: { ...sandboxEnv(sandbox), ...options.env, TICKET_WINDOW_HUB_CLAIM_BUDGET_MS: '5000' },
    secretCodec: plainCodec,
    heartbeatMs: 200,
    ...(options.hubSyncMs ? { hubSyncMs: options.hubSyncMs } : {}),
  });
  core.settings.update({ windowName: options.name });
  return { core, windowId, close: async () => (await core.close(), dir.remove()) };
}

/** Polls an async check until it holds; bounded so a stuck sync fails instead of hanging. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A release as electron-builder's NSIS target makes it: the installer and its latest.yml. */
export function nsisRelease(version: string, size = 2_500_000) {
  const installer = randomBytes(size);
  const sha512 = createHash('sha512').update(installer).digest('base64');
  const name = `Ticket-Window-Setup-${version}.exe`;
  const yml = `version: ${version}
files:
  - url: ${name}
    sha512: ${sha512}
    size: ${size}
path: ${name}
sha512: ${sha512}
releaseDate: '2026-12-01T08:00:00.000Z'
`;
  return { version, installer, name, yml, sha512 };
}
