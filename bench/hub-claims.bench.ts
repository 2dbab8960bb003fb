import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createHubClient, pairWithHub, type HubClient, type HubCredential } from '../electron/core/hub/client';
import { startSandbox } from '../electron/sandbox';
import type { HubChange } from '../shared/hub/protocol';
import type { Result } from '../shared/ipc/result';
import { sandboxEnv, todaysOrders } from '../test/support/core-harness';
import { superviseForkedCore } from '../test/support/core-child';
import {
  adminPairingCode,
  eventually,
  freePort,
  hubScan,
  pairedDataDir,
  startHubProcess,
  startTestPostgres,
  type RunningHub,
} from '../test/support/hub';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

const ADMIN_TOKEN = 'bench-admin-token';
const PER_SECOND = 10;
const HISTORY_EVERY_MS = 1_000;
/** BENCH_HUB_CPU_PROF=<folder>: each hub process writes a CPU profile there when it stops. */
const PROFILE_DIR = process.env.BENCH_HUB_CPU_PROF;
const hubNodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];

/** A simulated window: claims at its own steady rate, and sends its scans as history once a second. */
interface SimWindow {
  client: HubClient;
  credential: HubCredential;
  id: string;
  /** Changes not yet acknowledged by the hub, oldest first, with when each scan was made. */
  unsent: { change: HubChange; atMs: number }[];
  seq: number;
}

interface Tally {
  latencies: number[];
  /** From the first claim due to the last claim answered: a hub that falls behind stretches it. */
  elapsedS: number;
  pushes: number;
  failures: number;
  lagMs: number[];
  /** ticket key → windows told they won it */
  winners: Map<string, Set<number>>;
}

/**
 * Site claims at the hub (issue 17 item 9): simulated windows on loopback, each claiming at its
 * own steady rate and sending its history as the window's sync does, against `npm run hub` in its
 * own process(es) on one PostgreSQL. One claim in ten is of a ticket the window beside it claims
 * at the same moment, so a double claim would show. Three phases, each bounded by windows ×
 * seconds: one hub process; two hub processes (windows alternate between them); and a chaos run
 * with one hub and one real window core (forked, scanning against the sandbox), where the hub and
 * then the window are each SIGKILLed and restarted, after which every row must be at the hub.
 */
export async function run(ctx: BenchContext): Promise<Figures> {
  const windows = ctx.quick ? 20 : 200;
  const seconds = ctx.quick ? 3 : 10;
  const postgres = await startTestPostgres();
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  const ports = [await freePort(), await freePort()];
  const hubEnv = (port: number) => ({
    DATABASE_URL: postgres.url,
    HUB_ADMIN_TOKEN: ADMIN_TOKEN,
    HUB_PORT: String(port),
    DOUYIN_BASE_URL: 'http://127.0.0.1:9',
    DOUYIN_CLIENT_KEY: 'k',
    DOUYIN_CLIENT_SECRET: 's',
  });
  const hubs: RunningHub[] = [await startHubProcess(hubEnv(ports[0]!), hubNodeArgs)];
  const sims: SimWindow[] = [];
  const figures: Figures = { hub_claims_windows: windows, hub_claims_offered_per_s: windows * PER_SECOND };
  try {
    for (let i = 0; i < windows; i++) {
      const paired = await pairWithHub(hubs[0]!.url, {
        code: await adminPairingCode(hubs[0]!.url, ADMIN_TOKEN),
        name: `${i + 1}号窗口`,
      });
      const client = createHubClient({ url: hubs[0]!.url, ...paired }, { claimBudgetMs: 5_000 });
      sims.push({ client, credential: { url: hubs[0]!.url, ...paired }, id: paired.windowId, unsent: [], seq: 0 });
    }
    const drive = (phase: string, hubUrls: string[]) => drivePhase(sims, hubUrls, phase, seconds);

    // Warm-up (connections, prepared plans, the hub's window cache), not counted.
    await drive('warm', [hubs[0]!.url]);
    const before = await commits(db);
    const raw = rawInsertProbe(postgres.url, seconds);
    const one = await drive('one', [hubs[0]!.url]);
    const rawMs = await raw;
    const committed = (await commits(db)) - before;
    Object.assign(figures, phaseFigures(one, ''), {
      hub_claims_load_1m: loadavg()[0],
      // Everything committed in the phase but the history batches and the raw probe, per claim.
      hub_commits_per_claim: (committed - one.pushes - rawMs.length) / (one.latencies.length + one.failures),
      hub_raw_insert_p50_ms: percentile(rawMs, 50),
      hub_raw_insert_p99_ms: percentile(rawMs, 99),
    });

    hubs.push(await startHubProcess(hubEnv(ports[1]!), hubNodeArgs));
    await drive(
      'warm2',
      hubs.map((h) => h.url),
    );
    const two = await drive(
      'two',
      hubs.map((h) => h.url),
    );
    Object.assign(figures, phaseFigures(two, '_2proc'), { hub_claims_2proc_load_1m: loadavg()[0] });
    await hubs.pop()!.stop();

    Object.assign(figures, await chaos(sims, hubs, hubEnv(ports[0]!), db, seconds));
    const winners = [one, two].flatMap((t) => [...t.winners.values()]);
    figures.hub_double_claims = winners.filter((w) => w.size > 1).length + (figures.hub_double_claims as number);
    figures.hub_claims_scope = `${windows} windows × ${PER_SECOND}/s, ${seconds} s per phase, loopback, PostgreSQL and hub on this 2-core machine`;
    return figures;
  } finally {
    await Promise.all(sims.map((s) => s.client.close()));
    for (const hub of hubs) await hub.stop();
    await db.end();
    await postgres.stop();
  }
}

const commits = async (db: pg.Pool) =>
  Number(
    (await db.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]
      ?.n,
  );

/**
 * The raw baseline, interleaved with the claims: one INSERT ... ON CONFLICT DO NOTHING committed on
 * its own connection, 20 a second — what a claim costs PostgreSQL on this machine at this moment.
 */
async function rawInsertProbe(databaseUrl: string, seconds: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS bench_raw (k text PRIMARY KEY)');
    const latencies: number[] = [];
    for (let n = 0; n < seconds * 20; n++) {
      const t0 = performance.now();
      await client.query('INSERT INTO bench_raw VALUES ($1) ON CONFLICT DO NOTHING', [`raw-${n}-${t0}`]);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - (performance.now() - t0))));
    }
    return latencies;
  } finally {
    await client.end();
  }
}

function newTally(): Tally {
  return { latencies: [], elapsedS: 0, pushes: 0, failures: 0, lagMs: [], winners: new Map() };
}

function phaseFigures(t: Tally, suffix: string): Figures {
  return {
    [`hub_claims_per_s${suffix}`]: t.latencies.length / t.elapsedS,
    [`hub_claim_p50_ms${suffix}`]: percentile(t.latencies, 50),
    [`hub_claim_p99_ms${suffix}`]: percentile(t.latencies, 99),
    [`hub_claims_failed${suffix}`]: t.failures,
    [`hub_replication_lag_p50_ms${suffix}`]: percentile(t.lagMs, 50),
    [`hub_replication_lag_p99_ms${suffix}`]: percentile(t.lagMs, 99),
  };
}

/** One phase: every window claims PER_SECOND times a second and pushes its history every second. */
async function drivePhase(sims: SimWindow[], hubUrls: string[], phase: string, seconds: number): Promise<Tally> {
  const tally = newTally();
  const started = performance.now();
  const clients = sims.map((sim, w) => {
    const url = hubUrls[w % hubUrls.length]!;
    return url === sim.credential.url ? sim.client : createHubClient({ ...sim.credential, url }, { claimBudgetMs: 5_000 });
  });
  await Promise.all(
    sims.map(async (sim, w) => {
      const client = clients[w]!;
      const pushing = pushLoop(sim, client, tally, started + seconds * 1000);
      for (let n = 0; n < PER_SECOND * seconds; n++) {
        const due = started + (n * 1000) / PER_SECOND + (w * 1000) / PER_SECOND / sims.length;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // Every tenth claim is the same ticket as the window beside it claims now.
        const key = n % 10 === 0 ? `order:${phase}-shared-${Math.floor(w / 2)}-${n}:*` : `order:${phase}-w${w}-${n}:*`;
        const t0 = performance.now();
        try {
          const answer = await client.claim({ key, scanId: `${phase}-${n}` });
          tally.latencies.push(performance.now() - t0);
          if (answer.won) tally.winners.set(key, (tally.winners.get(key) ?? new Set()).add(w));
        } catch {
          tally.failures++;
        }
        tally.elapsedS = Math.max(tally.elapsedS, (performance.now() - started) / 1000);
        sim.seq++;
        sim.unsent.push({ change: { seq: sim.seq, kind: 'scan', scan: hubScan(sim.seq, Date.now()) }, atMs: performance.now() });
      }
      await pushing;
    }),
  );
  await Promise.all(clients.filter((c, w) => c !== sims[w]!.client).map((c) => c.close()));
  return tally;
}

/** The sync's loop, in small: send what is unacknowledged, forget it only once the hub answered. */
async function pushLoop(sim: SimWindow, client: HubClient, tally: Tally, untilMs: number): Promise<void> {
  while (performance.now() < untilMs + HISTORY_EVERY_MS) {
    await new Promise((r) => setTimeout(r, HISTORY_EVERY_MS));
    await pushOnce(sim, client, tally);
  }
}

async function pushOnce(sim: SimWindow, client: HubClient, tally: Tally): Promise<boolean> {
  const batch = sim.unsent.slice(0, 500);
  if (batch.length === 0) return true;
  try {
    const { lastSeq } = await client.pushHistory({ throughSeq: batch.at(-1)!.change.seq, changes: batch.map((b) => b.change) });
    const now = performance.now();
    tally.pushes++;
    for (const b of sim.unsent.filter((u) => u.change.seq <= lastSeq)) tally.lagMs.push(now - b.atMs);
    sim.unsent = sim.unsent.filter((u) => u.change.seq > lastSeq);
    return true;
  } catch {
    return false;
  }
}

/**
 * One hub, the simulated windows and one real window core. The hub is SIGKILLed a third of the way
 * in and started again on the same address; the window core is SIGKILLed two thirds in and
 * restarted by its supervisor, as main does. Then every window's history must be at the hub:
 * a lost row is a scan the window made that the hub does not hold once the windows have synced.
 */
async function chaos(
  sims: SimWindow[],
  hubs: RunningHub[],
  env: Record<string, string>,
  db: pg.Pool,
  seconds: number,
): Promise<Figures> {
  const orders = todaysOrders(seconds * 5, '3');
  const sandbox = await startSandbox({ orders });
  const { dir, windowId } = await pairedDataDir(hubs[0]!.url, ADMIN_TOKEN, '真实窗口');
  const window = superviseForkedCore({
    ...sandboxEnv(sandbox),
    TICKET_WINDOW_DATA_DIR: dir.path,
    TICKET_WINDOW_HUB_CLAIM_BUDGET_MS: '300',
  });
  try {
    await window.core.started;
    const scanning = (async () => {
      for (const order of orders) {
        const began = performance.now();
        for (;;) {
          const result: Result<unknown> = await window.core.call('scan.submit', { raw: order.order_id, source: 'scanner' });
          if (result.ok || result.error.code !== 'recovering') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const wait = 200 - (performance.now() - began);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    const killing = (async () => {
      await new Promise((r) => setTimeout(r, (seconds * 1000) / 3));
      await hubs[0]!.kill();
      hubs[0] = await startHubProcess(env);
      await new Promise((r) => setTimeout(r, (seconds * 1000) / 3));
      window.forks.at(-1)!.process.kill('SIGKILL');
    })();
    const tally = await drivePhase(sims, [hubs[0]!.url], 'chaos', seconds);
    await Promise.all([scanning, killing]);

    // The windows sync what is left (bounded), then the hub must hold every row of every window.
    await eventually(
      async () =>
        (await Promise.all(sims.map((s) => pushOnce(s, s.client, tally)))).every(Boolean) &&
        sims.every((s) => s.unsent.length === 0),
      'the simulated windows to sync',
      60_000,
    );
    // The real window's own record, read from its SQLite file while it runs (WAL: readers never block it).
    const local = new Database(join(dir.path, 'ticket-window.db'), { readonly: true });
    const localScans = () => (local.prepare('SELECT count(*) AS n FROM scans').get() as { n: number }).n;
    const hubCount = async (id: string) =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM scans WHERE window_id = $1', [id])).rows[0]?.n ?? 0);
    await eventually(async () => (await hubCount(windowId)) >= localScans(), 'the real window to sync', 60_000).catch(
      () => undefined,
    );
    let lost = Math.max(0, localScans() - (await hubCount(windowId)));
    local.close();
    for (const sim of sims) lost += Math.max(0, sim.seq - (await hubCount(sim.id)));
    return {
      hub_lost_history_rows: lost,
      hub_double_claims: [...tally.winners.values()].filter((w) => w.size > 1).length,
      hub_chaos_claims_failed: tally.failures,
      hub_chaos_claim_p99_ms: percentile(tally.latencies, 99),
      hub_chaos_window_restarts: window.forks.length - 1,
    };
  } finally {
    await window.close();
    await sandbox.close();
    dir.remove();
  }
}
