import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import Database from 'better-sqlite3';
import { pairWithHub, type HubCredential } from '../electron/core/hub/client';
import { startSandbox } from '../electron/sandbox';
import type { Result } from '../shared/ipc/result';
import { sandboxEnv, todaysOrders } from '../test/support/core-harness';
import { superviseForkedCore } from '../test/support/core-child';
import {
  adminPairingCode,
  eventually,
  freePort,
  pairedDataDir,
  startHubProcess,
  startTestPostgres,
  type RunningHub,
} from '../test/support/hub';
import {
  enablePgStatements,
  hubStats,
  PG_BENCH_SETTINGS,
  postgresCpuMs,
  procCpuMs,
  readPgCounters,
  resetPgCounters,
} from './hub-cost';
import { PER_SECOND, type FromWindows, type PhaseTally, type ToWindows } from './hub-windows-child';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

const ADMIN_TOKEN = 'bench-admin-token';
/** Processes the simulated windows are spread over (each a Node event loop of its own). */
const WINDOW_PROCESSES = 2;
/** BENCH_HUB_CPU_PROF=<folder>: each hub process writes a CPU profile there when it stops. */
const PROFILE_DIR = process.env.BENCH_HUB_CPU_PROF;
const hubNodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
/** BENCH_HUB_PG=tcp: the hubs reach PostgreSQL over loopback TCP instead of its Unix socket. */
const OVER_TCP = process.env.BENCH_HUB_PG === 'tcp';

/**
 * Site claims at the hub (issue 17 item 9): simulated windows on loopback, each claiming at its
 * own steady rate and sending its history as the window's sync does, against `npm run hub` in its
 * own process(es) on one PostgreSQL. The windows run in child processes of their own, so the hub's
 * CPU is counted apart from theirs. One claim in ten is of a ticket the window beside it claims
 * at the same moment, so a double claim would show. Three phases, each bounded by windows ×
 * seconds: one hub process; two hub processes (windows alternate between them); and a chaos run
 * with one hub and one real window core (forked, scanning against the sandbox), where the hub and
 * then the window are each SIGKILLed and restarted, after which every row must be at the hub.
 */
export async function run(ctx: BenchContext): Promise<Figures> {
  const windows = 200;
  const seconds = ctx.quick ? 3 : 10;
  // Enough for every window's connection, each pool's prepared statements and the hub's window cache.
  const warmS = ctx.quick ? 1 : 3;
  const postgres = await startTestPostgres(PG_BENCH_SETTINGS);
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  await enablePgStatements(db);
  const ports = [await freePort(), await freePort()];
  const hubEnv = (port: number) => ({
    DATABASE_URL: OVER_TCP ? postgres.url : postgres.socketUrl,
    HUB_ADMIN_TOKEN: ADMIN_TOKEN,
    HUB_PORT: String(port),
    DOUYIN_BASE_URL: 'http://127.0.0.1:9',
    DOUYIN_CLIENT_KEY: 'k',
    DOUYIN_CLIENT_SECRET: 's',
  });
  const hubs: RunningHub[] = [await startHubProcess(hubEnv(ports[0]!), hubNodeArgs)];
  const figures: Figures = {
    hub_claims_windows: windows,
    hub_claims_offered_per_s: windows * PER_SECOND,
    hub_claims_pg: OVER_TCP ? 'tcp' : 'unix socket',
  };
  let fleet: Fleet | undefined;
  try {
    const credentials = await pairAll(hubs[0]!.url, windows);
    fleet = await startFleet(credentials);
    const measured = (phase: string, suffix: string) => measurePhase(fleet!, hubs, postgres.dataDir, db, phase, seconds, suffix);

    // Warm-up (connections, prepared plans, the hub's window cache), not counted.
    await fleet.phase('warm', [hubs[0]!.url], warmS);
    const raw = rawInsertProbe(postgres.url, seconds);
    const one = await measured('one', '');
    const rawMs = await raw;
    Object.assign(figures, one.figures, {
      // Everything committed in the phase but the history batches and the raw probe, per claim.
      hub_commits_per_claim: (one.commits - one.tally.pushes - rawMs.length) / one.claims,
      hub_raw_insert_p50_ms: percentile(rawMs, 50),
      hub_raw_insert_p99_ms: percentile(rawMs, 99),
    });

    hubs.push(await startHubProcess(hubEnv(ports[1]!), hubNodeArgs));
    await fleet.phase(
      'warm2',
      hubs.map((h) => h.url),
      warmS,
    );
    const two = await measured('two', '_2proc');
    Object.assign(figures, two.figures);
    await hubs.pop()!.stop();

    const chaosFigures = await chaos(fleet, hubs, hubEnv(ports[0]!), db, seconds);
    const wins = [one.tally, two.tally].flatMap((t) => t.wins);
    figures.hub_double_claims = doubleClaims(wins) + (chaosFigures.hub_double_claims as number);
    Object.assign(figures, { ...chaosFigures, hub_double_claims: figures.hub_double_claims });
    figures.hub_claims_scope = `${windows} windows × ${PER_SECOND}/s in ${WINDOW_PROCESSES} processes, ${seconds} s per phase, loopback, PostgreSQL and hub on this 2-core machine`;
    return figures;
  } finally {
    await fleet?.close();
    for (const hub of hubs) await hub.stop();
    await db.end();
    await postgres.stop();
  }
}

/** Windows paired at once: pairing is not what is measured, only its wall time counts against --quick. */
const PAIR_AT_ONCE = 50;

/** Pairs every simulated window with the hub, PAIR_AT_ONCE at a time. */
async function pairAll(hubUrl: string, count: number): Promise<HubCredential[]> {
  const credentials: HubCredential[] = [];
  for (let i = 0; i < count; i += PAIR_AT_ONCE) {
    const batch = Array.from({ length: Math.min(PAIR_AT_ONCE, count - i) }, async (_, j) => {
      const code = await adminPairingCode(hubUrl, ADMIN_TOKEN);
      return { url: hubUrl, ...(await pairWithHub(hubUrl, { code, name: `${i + j + 1}号窗口` })) };
    });
    credentials.push(...(await Promise.all(batch)));
  }
  return credentials;
}

interface Fleet {
  pids: number[];
  phase(phase: string, hubUrls: string[], seconds: number): Promise<PhaseTally>;
  /** One push of what each window has not sent; ok when nothing is left anywhere. */
  sync(): Promise<{ ok: boolean; seqs: [string, number][] }>;
  close(): Promise<void>;
}

/** The simulated windows, spread over WINDOW_PROCESSES children (hub-windows-child.ts). */
async function startFleet(credentials: HubCredential[]): Promise<Fleet> {
  const children = Array.from({ length: WINDOW_PROCESSES }, () =>
    fork(resolve(import.meta.dirname, 'hub-windows-child.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const ask = <T extends FromWindows['type']>(child: ChildProcess, message: ToWindows, answer: T) =>
    new Promise<Extract<FromWindows, { type: T }>>((resolveAnswer, reject) => {
      const onMessage = (reply: FromWindows) => {
        if (reply.type !== answer) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolveAnswer(reply as Extract<FromWindows, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`a simulated-windows process exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(message);
    });
  await Promise.all(
    children.map((child, c) =>
      ask(
        child,
        {
          type: 'init',
          total: credentials.length,
          windows: credentials
            .map((credential, index) => ({ credential, index }))
            .filter((w) => w.index % WINDOW_PROCESSES === c),
        },
        'ready',
      ),
    ),
  );
  return {
    pids: children.map((c) => c.pid!),
    async phase(phase, hubUrls, seconds) {
      const startAtEpochMs = Date.now() + 100;
      const tallies = await Promise.all(
        children.map((child) => ask(child, { type: 'phase', phase, hubUrls, seconds, startAtEpochMs }, 'tally')),
      );
      return tallies
        .map((t) => t.tally)
        .reduce((a, b) => ({
          latencies: a.latencies.concat(b.latencies),
          elapsedS: Math.max(a.elapsedS, b.elapsedS),
          notOffered: a.notOffered + b.notOffered,
          pushes: a.pushes + b.pushes,
          failures: a.failures + b.failures,
          lagMs: a.lagMs.concat(b.lagMs),
          wins: a.wins.concat(b.wins),
        }));
    },
    async sync() {
      const answers = await Promise.all(children.map((child) => ask(child, { type: 'sync' }, 'synced')));
      return { ok: answers.every((a) => a.ok), seqs: answers.flatMap((a) => a.seqs) };
    },
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || !child.connected) return done();
              const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
              child.once('exit', () => {
                clearTimeout(timer);
                done();
              });
              child.send({ type: 'close' } satisfies ToWindows);
            }),
        ),
      );
    },
  };
}

/**
 * One counted phase, with each component's CPU per claim: the hub process(es) (their own
 * process.cpuUsage and claim count), PostgreSQL's processes, the windows' processes; the hubs'
 * event-loop delay; and PostgreSQL's statements, commits and WAL fsyncs.
 */
async function measurePhase(
  fleet: Fleet,
  hubs: RunningHub[],
  pgDataDir: string,
  db: pg.Pool,
  phase: string,
  seconds: number,
  suffix: string,
) {
  const hubCpu = (s: { cpuUserMs: number; cpuSystemMs: number }) => s.cpuUserMs + s.cpuSystemMs;
  const windowsCpu = () => fleet.pids.reduce((sum, pid) => sum + procCpuMs(pid), 0);
  await resetPgCounters(db);
  const hubsBefore = await Promise.all(hubs.map((h) => hubStats(h.url, ADMIN_TOKEN, true)));
  const [pgBefore, windowsBefore, commitsBefore, loadBefore] = [
    postgresCpuMs(pgDataDir),
    windowsCpu(),
    await commits(db),
    loadavg()[0]!,
  ];
  const tally = await fleet.phase(
    phase,
    hubs.map((h) => h.url),
    seconds,
  );
  const hubsAfter = await Promise.all(hubs.map((h) => hubStats(h.url, ADMIN_TOKEN, false)));
  const [pgCpu, windowsCpuMs, committed] = [
    postgresCpuMs(pgDataDir) - pgBefore,
    windowsCpu() - windowsBefore,
    (await commits(db)) - commitsBefore,
  ];
  const pgCounters = await readPgCounters(db);
  const claims = tally.latencies.length + tally.failures;
  const hubClaims = hubsAfter.reduce((sum, s, i) => sum + s.claims - hubsBefore[i]!.claims, 0);
  const hubCpuMs = hubsAfter.reduce((sum, s, i) => sum + hubCpu(s) - hubCpu(hubsBefore[i]!), 0);
  const claim = pgCounters.top.find((t) => t.query.startsWith('WITH input'));
  console.log(`\nhub ${phase}: PostgreSQL statements by backend time (calls, mean plan / exec ms)`);
  for (const t of pgCounters.top)
    console.log(`  ${String(t.calls).padStart(6)} ${t.planMs.toFixed(3)} / ${t.execMs.toFixed(3)}  ${t.query}`);
  return {
    tally,
    claims,
    commits: committed,
    figures: {
      [`hub_claims_per_s${suffix}`]: tally.latencies.length / tally.elapsedS,
      [`hub_claim_p50_ms${suffix}`]: percentile(tally.latencies, 50),
      [`hub_claim_p99_ms${suffix}`]: percentile(tally.latencies, 99),
      [`hub_claims_failed${suffix}`]: tally.failures,
      [`hub_claims_not_offered${suffix}`]: tally.notOffered,
      [`hub_replication_lag_p50_ms${suffix}`]: percentile(tally.lagMs, 50),
      [`hub_replication_lag_p99_ms${suffix}`]: percentile(tally.lagMs, 99),
      [`hub_claims_load_1m${suffix}`]: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
      // CPU per claim, per component: structural, unlike the latencies on this shared machine.
      [`hub_cpu_ms_per_claim${suffix}`]: hubCpuMs / hubClaims,
      [`hub_postgres_cpu_ms_per_claim${suffix}`]: pgCpu / claims,
      [`hub_windows_cpu_ms_per_claim${suffix}`]: windowsCpuMs / claims,
      [`hub_event_loop_delay_p99_ms${suffix}`]: Math.max(...hubsAfter.map((s) => s.eventLoopDelayMs.p99)),
      [`hub_wal_fsyncs_per_claim${suffix}`]: pgCounters.walFsyncs / claims,
      [`hub_wal_fsync_ms_mean${suffix}`]: pgCounters.walSyncMs / Math.max(1, pgCounters.walFsyncs),
      [`hub_pg_claim_plan_exec_ms${suffix}`]: claim ? `${claim.planMs.toFixed(3)} / ${claim.execMs.toFixed(3)}` : 'n/a',
    } satisfies Figures,
  };
}

const doubleClaims = (wins: [string, number][]) => {
  const winners = new Map<string, Set<number>>();
  for (const [key, w] of wins) winners.set(key, (winners.get(key) ?? new Set()).add(w));
  return [...winners.values()].filter((w) => w.size > 1).length;
};

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

/**
 * One hub, the simulated windows and one real window core. The hub is SIGKILLed a third of the way
 * in and started again on the same address; the window core is SIGKILLed two thirds in and
 * restarted by its supervisor, as main does. Then every window's history must be at the hub:
 * a lost row is a scan the window made that the hub does not hold once the windows have synced.
 */
async function chaos(
  fleet: Fleet,
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
    const tally = await fleet.phase('chaos', [hubs[0]!.url], seconds);
    await Promise.all([scanning, killing]);

    // The windows sync what is left (bounded), then the hub must hold every row of every window.
    let seqs: [string, number][] = [];
    await eventually(
      async () => {
        const synced = await fleet.sync();
        seqs = synced.seqs;
        return synced.ok;
      },
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
    for (const [id, seq] of seqs) lost += Math.max(0, seq - (await hubCount(id)));
    return {
      hub_lost_history_rows: lost,
      hub_double_claims: doubleClaims(tally.wins),
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
