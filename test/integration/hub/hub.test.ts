import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, type Sandbox } from '../../../electron/sandbox';
import {
  createHubClient,
  createHubTokenSource,
  HubRefused,
  pairAndStore,
  pairWithHub,
  storedHubCredential,
  type HubClient,
  type HubCredential,
} from '../../../electron/core/hub/client';
import { newNonce, signRequest } from '../../../electron/core/hub/signature';
import { DouyinCredentials } from '../../../electron/core/secrets/douyin-credentials';
import { plainCodec, SecretStore } from '../../../electron/core/secrets/store';
import { connectLivePlatform } from '../../../electron/core/platform';
import { Settings } from '../../../shared/domain/settings';
import { HUB_HEADERS } from '../../../shared/hub/protocol';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { LOCK_WINDOW_CURSOR_SQL } from '../../../hub/history';
import type { ProcessStats } from '../../../hub/process-stats';
import type { SiteReport } from '../../../hub/report';
import { eventually, hubScan, startHubProcess, startTestPostgres, type RunningHub } from '../../support/hub';
import { tempDir } from '../../support/temp';

const ADMIN_TOKEN = 'hub-admin-token-for-tests';

let postgres: LocalPostgres;
let sandbox: Sandbox;
let hubA: RunningHub;
let hubB: RunningHub;
let db: pg.Pool;
const clients: HubClient[] = [];

async function admin<T>(hubUrl: string, method: 'GET' | 'POST', path: string): Promise<T> {
  const answer = await request(`${hubUrl}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(answer.statusCode).toBe(200);
  return (await answer.body.json()) as T;
}

async function pairedWindow(hubUrl: string, name: string): Promise<{ client: HubClient; credential: HubCredential }> {
  const { code } = await admin<{ code: string }>(hubUrl, 'POST', '/admin/api/pairing-codes');
  const paired = await pairWithHub(hubUrl, { code, name });
  const credential = { url: hubUrl, windowId: paired.windowId, secret: paired.secret };
  // A generous claim budget: the test proves who wins, not how fast (speed is bench/'s).
  const client = createHubClient(credential, { claimBudgetMs: 5_000 });
  clients.push(client);
  return { client, credential };
}

const hubProcess = (hubUrl: string) => admin<ProcessStats>(hubUrl, 'GET', '/admin/api/process');

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubRefused);
  return (error as HubRefused).answer.error;
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  sandbox = await startSandbox();
  const env = {
    DATABASE_URL: postgres.url,
    HUB_ADMIN_TOKEN: ADMIN_TOKEN,
    DOUYIN_BASE_URL: sandbox.url,
    DOUYIN_CLIENT_KEY: SANDBOX_CLIENT_KEY,
    DOUYIN_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
  };
  // Two hub processes on one PostgreSQL, started together so their migrations race too.
  [hubA, hubB] = await Promise.all([startHubProcess(env), startHubProcess(env)]);
  db = new pg.Pool({ connectionString: postgres.url });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await db?.end();
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  await sandbox?.close();
  await postgres?.stop();
}, 30_000);

describe('site hub on a real PostgreSQL', () => {
  it('lets a pairing code pair one window once, on any hub process', async () => {
    const { code } = await admin<{ code: string }>(hubA.url, 'POST', '/admin/api/pairing-codes');
    const results = await Promise.allSettled([
      pairWithHub(hubA.url, { code, name: '1号窗口' }),
      pairWithHub(hubB.url, { code: code.toLowerCase(), name: '2号窗口' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await refusal(pairWithHub(hubB.url, { code, name: '3号窗口' }))).toBe('bad_pairing_code');
    expect(await refusal(pairWithHub(hubA.url, { code: 'ABCDEFGH', name: '4号窗口' }))).toBe('bad_pairing_code');
  });

  it('seals the credential in the window’s secret store, and the window then verifies with the site token', async () => {
    const { code } = await admin<{ code: string }>(hubA.url, 'POST', '/admin/api/pairing-codes');
    const folder = tempDir();
    try {
      const store = await SecretStore.open(folder.path, plainCodec, Date.now);
      // The window also has its own client credentials: the paired hub must win over them.
      store.setAll({ clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET, clientSecretOrigin: sandbox.url });
      const windowId = await pairAndStore(store, `${hubA.url}/`, { code, name: '5号窗口' });
      const reopened = await SecretStore.open(folder.path, plainCodec, Date.now);
      expect(storedHubCredential(reopened)).toEqual({ url: hubA.url, windowId, secret: expect.any(String) });

      const { config } = new DouyinCredentials(reopened, {}).resolve(Settings.parse({ baseUrl: sandbox.url }));
      expect(config.token.kind).toBe('site_hub');
      const platform = connectLivePlatform(config);
      try {
        const outcome = await platform?.verifier.verify({ order_id: '8000004478714899970', verify_token: 'vt-hub-1' });
        expect(outcome?.kind).toBe('verified');
      } finally {
        await platform?.close();
      }
    } finally {
      folder.remove();
    }
  });

  it('fetches one site token across two hub processes under concurrent demand, and refreshes it once', async () => {
    const one = await pairedWindow(hubA.url, '6号窗口');
    const two = await pairedWindow(hubB.url, '7号窗口');
    // No site token yet, whatever earlier tests fetched: every hub process finds it missing.
    await db.query('UPDATE site_token SET access_token = NULL, expires_at = NULL');
    const before = sandbox.counts().tokenCalls;
    const demand = () => Promise.all([...Array(8)].flatMap(() => [one.client.token(), two.client.token()]));

    const first = await demand();
    expect(sandbox.counts().tokenCalls - before).toBe(1);
    expect(new Set(first.map((t) => t.access_token)).size).toBe(1);

    // Inside the refresh-ahead window (10 minutes): the next demand refreshes, once.
    await db.query(`UPDATE site_token SET expires_at = now() + interval '1 minute'`);
    const second = await demand();
    expect(sandbox.counts().tokenCalls - before).toBe(2);
    expect(new Set(second.map((t) => t.access_token)).size).toBe(1);
    expect(second[0]?.access_token).not.toBe(first[0]?.access_token);

    const source = createHubTokenSource(createHubClient(one.credential));
    try {
      expect(await source.get()).toBe(second[0]?.access_token);
    } finally {
      source.close?.();
    }
    expect(sandbox.counts().tokenCalls - before).toBe(2);
  });

  it('lets exactly one of two windows claim a ticket, and tells the other where it was used', async () => {
    const one = await pairedWindow(hubA.url, '8号窗口');
    const two = await pairedWindow(hubB.url, '9号窗口');
    const key = 'code:1234567890123456';
    const [a, b] = await Promise.all([one.client.claim({ key, scanId: 'a-1' }), two.client.claim({ key, scanId: 'b-1' })]);
    expect([a.won, b.won].filter(Boolean)).toHaveLength(1);
    const loser = a.won ? b : a;
    const winner = a.won ? one : two;
    expect(loser).toMatchObject({ won: false, windowName: a.won ? '8号窗口' : '9号窗口' });

    // A retry of the winning scan is the same claim; release frees the ticket for the other.
    expect(await winner.client.claim({ key, scanId: a.won ? 'a-1' : 'b-1' })).toEqual({ won: true });
    const other = a.won ? two : one;
    expect(await other.client.release({ key, scanId: a.won ? 'b-1' : 'a-1' })).toBe(false);
    expect(await winner.client.release({ key, scanId: a.won ? 'a-1' : 'b-1' })).toBe(true);
    expect(await other.client.claim({ key, scanId: 'c-1' })).toEqual({ won: true });
  });

  it('answers a claim while the window’s history batch holds its row, and still records the last contact', async () => {
    const { client, credential } = await pairedWindow(hubA.url, '13号窗口');
    const batch = await db.connect();
    try {
      // What a history batch holds for its whole transaction (hub/history.ts).
      await batch.query('BEGIN');
      await batch.query(LOCK_WINDOW_CURSOR_SQL, [credential.windowId]);
      // Before: the claim's UPDATE of last_seen_at (and its nonce's key lock) waited for the batch.
      const claimed = await Promise.race([
        client.claim({ key: 'code:while-batch', scanId: 'l-1' }),
        new Promise((r) => setTimeout(() => r('still waiting'), 4_000)),
      ]);
      expect(claimed).toEqual({ won: true });
    } finally {
      await batch.query('ROLLBACK');
      batch.release();
    }
    // Last contact is written off the request path, within a few seconds.
    const lastSeen = async () =>
      (await db.query('SELECT last_seen_at FROM windows WHERE id = $1', [credential.windowId])).rows[0]?.last_seen_at;
    await eventually(async () => (await lastSeen()) !== null, 'the last contact', 10_000);
  });

  it('answers claims while every history connection waits on a batch: history has its own pool', async () => {
    const claimer = await pairedWindow(hubA.url, '14号窗口');
    const pusher = await pairedWindow(hubA.url, '15号窗口');
    // The window's sync gives up after 5 s; these batches wait on purpose for longer than the claim.
    const patient = createHubClient(pusher.credential, { timeoutMs: 20_000 });
    clients.push(patient);
    const batch = await db.connect();
    let pushes: Promise<{ lastSeq: number; applied: number }[]> | undefined;
    try {
      await batch.query('BEGIN');
      await batch.query(LOCK_WINDOW_CURSOR_SQL, [pusher.credential.windowId]);
      // More batches than the claims' pool has connections (10), each stuck on the window's row.
      const push = { throughSeq: 1, changes: [{ seq: 1, kind: 'scan' as const, scan: hubScan(1, Date.now()) }] };
      pushes = Promise.all([...Array(12)].map(() => patient.pushHistory(push)));
      // Every batch waits on the row or for a connection (of whichever pools the process has).
      const onTheRow = async () =>
        Number(
          (
            await db.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query = $1`,
              [LOCK_WINDOW_CURSOR_SQL],
            )
          ).rows[0]?.n,
        );
      const forAConnection = async () =>
        Object.values((await hubProcess(hubA.url)).pools).reduce((sum, pool) => sum + pool.waiting, 0);
      await eventually(async () => (await onTheRow()) + (await forAConnection()) === 12, 'the batches to queue', 10_000);
      const claimed = await Promise.race([
        claimer.client.claim({ key: 'code:while-history-pool-full', scanId: 'p-1' }),
        new Promise((r) => setTimeout(() => r('still waiting'), 4_000)),
      ]);
      expect(claimed).toEqual({ won: true });
    } finally {
      await batch.query('ROLLBACK');
      batch.release();
    }
    // Once the row is free every batch is answered, and the entry is applied once.
    const answers = await pushes;
    expect(answers.map((a) => a.lastSeq)).toEqual(Array(12).fill(1));
    expect(answers.reduce((sum, a) => sum + a.applied, 0)).toBe(1);
  });

  it('tells an admin this process’s CPU, claims, event-loop delay and pools, and no one else', async () => {
    const { client } = await pairedWindow(hubB.url, '16号窗口');
    const anonymous = await request(`${hubB.url}/admin/api/process`);
    expect(anonymous.statusCode).toBe(401);
    expect(await anonymous.body.json()).toMatchObject({ error: 'admin_only' });

    const before = await hubProcess(hubB.url);
    await client.claim({ key: 'code:process-stats', scanId: 's-1' });
    const after = await hubProcess(hubB.url);
    expect(before.pid).toBe(hubB.pid);
    expect(after.claims - before.claims).toBe(1);
    expect(after.cpuUserMs + after.cpuSystemMs).toBeGreaterThan(before.cpuUserMs + before.cpuSystemMs);
    expect(Object.keys(after.pools).sort()).toEqual(['claims', 'history']);
    expect(after.eventLoopDelayMs.max).toBeGreaterThan(0);
  });

  it('keeps a window’s idle connection longer than the window does (no claim sent on a closing socket)', async () => {
    const answer = await request(`${hubA.url}/health`);
    await answer.body.dump();
    expect(answer.headers['keep-alive']).toBe('timeout=65');
  });

  it('refuses a bad signature, a replayed nonce, a stale timestamp and a revoked window', async () => {
    const { client, credential } = await pairedWindow(hubA.url, '10号窗口');
    const forged = createHubClient({ ...credential, secret: Buffer.alloc(32, 7).toString('base64url') });
    const stale = createHubClient(credential, { now: () => Date.now() - 10 * 60_000 });
    clients.push(forged, stale);
    expect(await refusal(forged.token())).toBe('bad_signature');
    expect(await refusal(stale.token())).toBe('stale');

    const body = JSON.stringify({ key: 'code:replay', scanId: 'r-1' });
    const timestamp = String(Date.now());
    const nonce = newNonce();
    const headers = {
      'content-type': 'application/json',
      [HUB_HEADERS.window]: credential.windowId,
      [HUB_HEADERS.timestamp]: timestamp,
      [HUB_HEADERS.nonce]: nonce,
      [HUB_HEADERS.signature]: signRequest(credential.secret, { method: 'POST', path: '/api/claims', body, timestamp, nonce }),
    };
    const send = (hubUrl: string) => request(`${hubUrl}/api/claims`, { method: 'POST', headers, body });
    expect((await send(hubA.url)).statusCode).toBe(200);
    const replayed = await send(hubB.url);
    expect(replayed.statusCode).toBe(401);
    expect(await replayed.body.json()).toMatchObject({
      error: 'replayed',
      message: { 'zh-CN': expect.any(String), en: expect.any(String) },
    });

    expect(await admin(hubB.url, 'POST', `/admin/api/windows/${credential.windowId}/revoke`)).toEqual({ revoked: true });
    expect(await refusal(client.token())).toBe('revoked');
    // The claim admits itself in its own statement: revocation holds there too, on the process that cached the window.
    expect(await refusal(client.claim({ key: 'code:after-revoke', scanId: 'r-2' }))).toBe('revoked');
  });

  it('keeps the site history once per window entry, in order, and reports the day by hour, window, operator and product', async () => {
    const one = await pairedWindow(hubA.url, '11号窗口');
    const two = await pairedWindow(hubB.url, '12号窗口');
    const day = '2026-12-02';
    const at = (hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);
    const first = {
      throughSeq: 3,
      version: '0.1.0',
      changes: [
        {
          seq: 1,
          kind: 'operator' as const,
          operator: { id: 1, staffNo: '0001', name: '张三', role: 'supervisor' as const, disabled: false },
        },
        { seq: 2, kind: 'scan' as const, scan: hubScan(1, at('09:05')) },
        {
          seq: 3,
          kind: 'scan' as const,
          scan: hubScan(2, at('09:40'), { outcome: 'pending', queueState: 'queued', verdict: 'offline' }),
        },
      ],
    };
    expect(await one.client.pushHistory(first)).toEqual({ lastSeq: 3, applied: 3 });
    // Resent after a crash before the window forgot it: nothing is applied twice.
    expect(await one.client.pushHistory(first)).toEqual({ lastSeq: 3, applied: 0 });
    // A batch overlapping the cursor applies only what is new: scan 2 verified since.
    const second = {
      throughSeq: 5,
      changes: [
        { seq: 3, kind: 'scan' as const, scan: hubScan(2, at('09:40'), { outcome: 'refused' }) },
        { seq: 5, kind: 'scan' as const, scan: hubScan(2, at('09:40')) },
      ],
    };
    expect(await one.client.pushHistory(second)).toEqual({ lastSeq: 5, applied: 1 });
    expect(
      await two.client.pushHistory({
        throughSeq: 1,
        changes: [{ seq: 1, kind: 'scan', scan: hubScan(1, at('14:10'), { product: '儿童票', operatorNo: '0002' }) }],
      }),
    ).toEqual({ lastSeq: 1, applied: 1 });
    const clear = hubScan(9, at('10:00'), { maskedCode: '110101199001011234' });
    expect(await refusal(two.client.pushHistory({ throughSeq: 2, changes: [{ seq: 2, kind: 'scan', scan: clear }] }))).toBe(
      'bad_request',
    );
    const unordered = [
      { seq: 4, kind: 'scan' as const, scan: hubScan(3, at('15:00')) },
      { seq: 3, kind: 'scan' as const, scan: hubScan(4, at('15:00')) },
    ];
    expect(await refusal(two.client.pushHistory({ throughSeq: 4, changes: unordered }))).toBe('bad_request');

    const report = await admin<SiteReport>(hubA.url, 'GET', `/admin/api/report?day=${day}`);
    expect(report.byHour).toEqual([
      { hour: 9, window: '11号窗口', entries: 2, total: 2 },
      { hour: 14, window: '12号窗口', entries: 1, total: 1 },
    ]);
    expect(report.byProduct).toEqual([
      { product: '成人票', entries: 2, total: 2 },
      { product: '儿童票', entries: 1, total: 1 },
    ]);
    expect(report.byOperator).toEqual([
      { operator: '0001', window: '11号窗口', entries: 2, total: 2 },
      { operator: '0002', window: '12号窗口', entries: 1, total: 1 },
    ]);
    expect(report.windows.find((w) => w.name === '11号窗口')).toMatchObject({ version: '0.1.0', queued: 0, conflicts: 0 });
    expect((await db.query('SELECT name FROM operators WHERE staff_no = $1', ['0001'])).rows).toEqual([{ name: '张三' }]);

    const page = await request(`${hubB.url}/admin?lang=en&day=${day}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const html = await page.body.text();
    expect(html).toContain('Day report');
    expect(html).toContain('By product');
    expect(html).toContain('12号窗口');
    const login = await (await request(`${hubB.url}/admin`)).body.text();
    expect(login).toContain('管理员口令');
    expect(login).not.toContain('12号窗口');
  });
});
