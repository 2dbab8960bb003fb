import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type pg from 'pg';
import type { ProcessStats } from '../hub/process-stats';

/**
 * Where a claim's time goes, counted per component so the figure does not depend on the
 * neighbours on this shared machine: CPU seconds of the hub process(es), of PostgreSQL's
 * processes and of the simulated windows' processes (from /proc), the hub's own event-loop delay,
 * and PostgreSQL's view (statements, commits, WAL fsyncs).
 */

const TICKS_PER_S = 100;

/** utime + stime of one process, in ms; 0 once it is gone. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The postmaster and every process it started (backends, WAL writer, checkpointer…). */
export function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = procCpuMs(postmaster);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) total += procCpuMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

export async function hubStats(hubUrl: string, adminToken: string, reset: boolean): Promise<ProcessStats> {
  const answer = await request(`${hubUrl}/admin/api/process${reset ? '?reset=1' : ''}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return (await answer.body.json()) as ProcessStats;
}

/** PostgreSQL's counters, reset at the start of a phase (pg_stat_statements is loaded by the bench's cluster). */
export async function resetPgCounters(db: pg.Pool): Promise<void> {
  await db.query('SELECT pg_stat_statements_reset()');
  await db.query("SELECT pg_stat_reset_shared('wal')");
}

export interface PgPhase {
  commits: number;
  walFsyncs: number;
  walSyncMs: number;
  walBytes: number;
  /** The statements that took most of the backends' time: calls, mean plan and execution ms. */
  top: { query: string; calls: number; planMs: number; execMs: number; totalMs: number }[];
}

export async function readPgCounters(db: pg.Pool): Promise<Omit<PgPhase, 'commits'>> {
  const wal = (
    await db.query<{ wal_sync: string; wal_sync_time: number; wal_bytes: string }>(
      'SELECT wal_sync, wal_sync_time, wal_bytes FROM pg_stat_wal',
    )
  ).rows[0]!;
  const top = await db.query<{ query: string; calls: string; plan: number; exec: number; total: number }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query, calls, mean_plan_time AS plan,
            mean_exec_time AS exec, total_plan_time + total_exec_time AS total
       FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 6`,
  );
  return {
    walFsyncs: Number(wal.wal_sync),
    walSyncMs: wal.wal_sync_time,
    walBytes: Number(wal.wal_bytes),
    top: top.rows.map((r) => ({ query: r.query, calls: Number(r.calls), planMs: r.plan, execMs: r.exec, totalMs: r.total })),
  };
}

export async function enablePgStatements(db: pg.Pool): Promise<void> {
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}

/** Server settings for the bench's cluster: statement and WAL timing counters. */
export const PG_BENCH_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_planning': 'on',
  track_wal_io_timing: 'on',
};
