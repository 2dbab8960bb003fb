import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';

/**
 * What a supervisor (or the bench) needs to tell "the hub is slow" from "the database is slow":
 * this process's CPU, how late its event loop runs callbacks, how many claims it answered, and
 * how many queries wait for a connection of each pool. Read with `?reset=1` to start a new
 * interval for the delay histogram.
 */
export interface ProcessStats {
  pid: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  claims: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  pools: Record<string, { total: number; idle: number; waiting: number }>;
}

export function processStats(pools: Record<string, pg.Pool>) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let claims = 0;
  const ms = (ns: number) => ns / 1e6;
  return {
    countClaim: () => void claims++,
    read(reset: boolean): ProcessStats {
      const cpu = process.cpuUsage();
      const stats: ProcessStats = {
        pid: process.pid,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        claims,
        eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        pools: Object.fromEntries(
          Object.entries(pools).map(([name, pool]) => [
            name,
            { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
          ]),
        ),
      };
      if (reset) delay.reset();
      return stats;
    },
    close: () => delay.disable(),
  };
}
