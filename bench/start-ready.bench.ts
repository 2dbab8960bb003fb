import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, DATABASE_FILE } from '../electron/core/app';
import { dispatch } from '../electron/core/dispatch';
import { plainCodec } from '../electron/core/secrets/store';
import { connectPlatform } from '../electron/platform/connect';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { HISTORY_ROWS, seededHistoryFile } from './seeded-history';
import { type Figures } from './summary';

/**
 * Start to scan-ready (issue 12): from creating the core to the first scan answered, in demo mode
 * (the embedded sandbox on loopback), on an empty data folder and on a 1,000,000-scan history.
 * The first scan is a real one: a fresh 19-digit order id, looked up (duplicate window, voucher
 * index, already used), written with its request, sent, and its answer written (the sandbox
 * knows no such order: refused). The integrity check runs beside the open database, so size
 * should not show here; "cold" first drops the file from the page cache (GNU dd's nocache), as
 * after a reboot, where this machine lets it.
 */
export async function startReady(dataDir: string): Promise<number> {
  const started = performance.now();
  const core = await createCore({ connectPlatform, dataDir, env: {}, secretCodec: plainCodec });
  try {
    const raw = `9${randomInt(2 ** 47)
      .toString()
      .padStart(18, '0')}`;
    const answer = await dispatch(core.routes, 'scan.submit', { raw, source: 'scanner' });
    if (!answer.ok || (answer.value as { scanId: number | null }).scanId === null)
      throw new Error(`the first scan failed: ${JSON.stringify(answer)}`);
    return performance.now() - started;
  } finally {
    await core.close();
  }
}

/** Asks the kernel to forget the file's cached pages; false where it cannot (then no cold figure). */
function dropFromPageCache(file: string): boolean {
  try {
    execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(ctx: BenchContext): Promise<Figures> {
  const runs = ctx.quick ? 3 : 5;
  const empty = tempDir('tw-bench-start-empty-');
  const big = tempDir('tw-bench-start-1m-');
  try {
    const emptyTimes: number[] = [];
    for (let i = 0; i < runs; i += 1) emptyTimes.push(await startReady(empty.path));
    const { file } = seededHistoryFile();
    const database = join(big.path, DATABASE_FILE);
    copyFileSync(file, database);
    await startReady(big.path); // the first start of a copied file settles its WAL and marks
    const warm: number[] = [];
    for (let i = 0; i < runs; i += 1) warm.push(await startReady(big.path));
    const cold: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      if (!dropFromPageCache(database)) break;
      cold.push(await startReady(big.path));
    }
    return {
      start_ready_rows: HISTORY_ROWS,
      start_ready_empty_ms: median(emptyTimes),
      start_ready_ms: median(warm),
      start_ready_cold_ms: cold.length > 0 ? median(cold) : 'not measurable here',
      start_ready_ratio_vs_empty: median(warm) / median(emptyTimes),
    };
  } finally {
    empty.remove();
    big.remove();
  }
}
