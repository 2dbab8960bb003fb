import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { request } from 'undici';
import { createCoreWithParts } from '../electron/core/app';
import { connectPlatform } from '../electron/platform/connect';
import { openDatabase } from '../electron/core/db/connection';
import { OutboxRepository } from '../electron/core/outbox/repository';
import { ScanRepository, type NewScan } from '../electron/core/scan/scan-repository';
import { plainCodec } from '../electron/core/secrets/store';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox } from '../electron/sandbox';
import { sandboxEnv, todaysOrders, until } from '../test/support/core-harness';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

const scanRow = (i: number): NewScan => ({
  at: Date.now(),
  source: 'scanner',
  credentialKind: 'order_id',
  credentialKey: `order:${i}`,
  credentialDisplay: String(i),
  orderId: String(i),
  projectId: null,
  projectName: null,
  verdict: 'offline',
  reason: 'offline_queued',
  staff: '',
  windowName: 'bench',
  poiId: null,
});

/** Durable enqueue through the repository vs the same two rows inserted raw, both synchronous=FULL. */
function enqueue(n: number): Figures {
  const dir = tempDir('tw-bench-enqueue-');
  try {
    // Both files get the app's schema and pragmas (WAL, synchronous=FULL): only the code path differs.
    const appDb = openDatabase(join(dir.path, 'core.db'));
    const repo = new OutboxRepository(appDb);
    const scans = new ScanRepository(appDb, repo);
    const raw = openDatabase(join(dir.path, 'raw.db'));
    const insertScan = raw.prepare(`INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display,
      order_id, project_id, project_name, verdict, reason, douyin_message, staff, window_name, poi_id)
      VALUES (?, 'scanner', 'order_id', ?, ?, ?, NULL, NULL, 'offline', 'offline_queued', NULL, '', 'bench', NULL)`);
    const insertOutbox = raw.prepare(`INSERT INTO outbox (scan_id, order_id, verify_token, verify_time, request, state,
      next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`);
    const rawTx = raw.transaction((i: number) => {
      const at = Date.now();
      const scanId = insertScan.run(at, `order:${i}`, String(i), String(i)).lastInsertRowid;
      insertOutbox.run(scanId, String(i), `t${i}`, Math.floor(at / 1000), `{"order_id":"${i}"}`, at, at, at);
    });
    const coreOne = (i: number) =>
      scans.record(scanRow(i), {
        orderId: String(i),
        verifyToken: `t${i}`,
        verifyTime: Math.floor(Date.now() / 1000),
        request: `{"order_id":"${i}"}`,
        state: 'queued',
      });
    // Interleaved in blocks so both see the same disk weather.
    let coreMs = 0;
    let rawMs = 0;
    const block = 100;
    for (let start = 0; start < n; start += block) {
      let t = performance.now();
      for (let i = start; i < start + block; i += 1) rawTx(i);
      rawMs += performance.now() - t;
      t = performance.now();
      for (let i = start; i < start + block; i += 1) coreOne(i);
      coreMs += performance.now() - t;
    }
    appDb.close();
    raw.close();
    const coreRate = (n / coreMs) * 1000;
    const rawRate = (n / rawMs) * 1000;
    return { enqueue_items: n, enqueue_rate_per_s: coreRate, enqueue_raw_rate_per_s: rawRate, enqueue_ratio: coreRate / rawRate };
  } finally {
    dir.remove();
  }
}

/** Drains a queue of n items against the sandbox's rate limit; counts duplicates and losses. */
async function drain(n: number): Promise<Figures> {
  const platformLimit = 100;
  const dir = tempDir('tw-bench-drain-');
  const orders = todaysOrders(n);
  const sandbox = await startSandbox({ orders });
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
    heartbeatMs: 100,
  });
  try {
    // A window is configured just under the platform's limit, as a real deployment would be.
    core.settings.update({ verifyRatePerSecond: platformLimit * 0.95 });
    const repo = new OutboxRepository(core.db);
    const scans = new ScanRepository(core.db, repo);
    const at = Date.now();
    core.db.transaction(() => {
      for (const [i, o] of orders.entries()) {
        const token = randomBytes(16).toString('hex');
        scans.record(
          { ...scanRow(i), orderId: o.order_id, credentialKey: `order:${o.order_id}` },
          {
            orderId: o.order_id,
            verifyToken: token,
            verifyTime: Math.floor(at / 1000),
            state: 'queued',
            request: JSON.stringify({ order_id: o.order_id, verify_token: token, verify_time: Math.floor(at / 1000) }),
          },
        );
      }
    })();
    sandbox.setRateLimit(platformLimit);
    const started = performance.now();
    core.worker.wake();
    const verified = () =>
      (core.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'verified'`).get() as { n: number }).n;
    await until(() => verified() === n, Math.max(60_000, (n / platformLimit) * 3000), 'drain');
    const seconds = (performance.now() - started) / 1000;
    const ledger = sandbox.ledger();
    const unique = new Set(ledger.map((e) => e.order_id)).size;
    const rateLimited = (
      core.db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE outcome = 'rate_limited'`).get() as { n: number }
    ).n;
    return {
      drain_items: n,
      drain_platform_limit_per_s: platformLimit,
      drain_rate_per_s: n / seconds,
      drain_ratio: n / seconds / platformLimit,
      drain_rate_limited_answers: rateLimited,
      drain_duplicates: ledger.length - unique,
      drain_lost: n - verified(),
    };
  } finally {
    await core.close();
    await sandbox.close();
    dir.remove();
  }
}

/** One online verify through the core vs a raw undici POST of the same request, interleaved. */
async function overhead(pairs: number, latencyMs: number): Promise<{ core: number[]; raw: number[] }> {
  const dir = tempDir('tw-bench-verify-');
  const orders = todaysOrders(pairs * 2 + 10, '8');
  const sandbox = await startSandbox({ orders });
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
  });
  try {
    core.settings.update({ verifyRatePerSecond: 200 });
    const tokenAnswer = await request(`${sandbox.url}/oauth/client_token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_key: SANDBOX_CLIENT_KEY,
        client_secret: SANDBOX_CLIENT_SECRET,
        grant_type: 'client_credential',
      }),
    });
    const token = ((await tokenAnswer.body.json()) as { data: { access_token: string } }).data.access_token;
    sandbox.setLatency(latencyMs);
    const coreTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let i = 0; i < pairs + 5; i += 1) {
      const viaCore = orders[2 * i]!.order_id;
      const viaRaw = orders[2 * i + 1]!.order_id;
      let t = performance.now();
      const answer = await core.routes['scan.submit']({ raw: viaCore, source: 'scanner' });
      const coreMs = performance.now() - t;
      if (answer.verdict !== 'verified') throw new Error(`core verify failed: ${answer.reason}`);
      t = performance.now();
      const res = await request(`${sandbox.url}/goodlife/v1/trip/certificate/verify/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'access-token': token },
        body: JSON.stringify({
          order_id: viaRaw,
          verify_token: randomBytes(16).toString('hex'),
          verify_time: Math.floor(Date.now() / 1000),
        }),
      });
      await res.body.text();
      const rawMs = performance.now() - t;
      if (i >= 5) {
        // The first few warm up connections and JIT on both sides.
        coreTimes.push(coreMs);
        rawTimes.push(rawMs);
      }
    }
    return { core: coreTimes, raw: rawTimes };
  } finally {
    await core.close();
    await sandbox.close();
    dir.remove();
  }
}

export async function run(ctx: BenchContext): Promise<Figures> {
  const figures: Figures = { ...enqueue(ctx.quick ? 2000 : 10_000) };
  Object.assign(figures, await drain(ctx.quick ? 2000 : 10_000));
  const pairs = ctx.quick ? 60 : 300;
  const mobile = await overhead(pairs, 30);
  const ratios = mobile.core.map((c, i) => c / mobile.raw[i]!);
  Object.assign(figures, {
    verify_pairs: pairs,
    verify_overhead_ratio_p50: percentile(ratios, 50),
    verify_overhead_ratio_p99: percentile(ratios, 99),
    verify_core_ms_p50_at_30ms: percentile(mobile.core, 50),
    verify_raw_post_ms_p50_at_30ms: percentile(mobile.raw, 50),
  });
  const loopback = await overhead(pairs, 0);
  Object.assign(figures, {
    loopback_verify_ms_p50: percentile(loopback.core, 50),
    loopback_raw_post_ms_p50: percentile(loopback.raw, 50),
  });
  return figures;
}
