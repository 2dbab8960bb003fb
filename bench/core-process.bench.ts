import { createCore } from '../electron/core/app';
import { dispatch } from '../electron/core/dispatch';
import { plainCodec } from '../electron/core/secrets/store';
import { startCoreProcess } from '../electron/main/core-process';
import { connectPlatform } from '../electron/platform/connect';
import { startSandbox } from '../electron/sandbox';
import type { Result } from '../shared/ipc/result';
import { sandboxEnv, todaysOrders } from '../test/support/core-harness';
import { forkCore } from '../test/support/core-child';
import { tempDir } from '../test/support/temp';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

type Call = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** Milliseconds per call: a scan verified over loopback, and a status read, one after another. */
async function measure(call: Call, orderIds: string[]): Promise<{ scan: number[]; status: number[] }> {
  const scan: number[] = [];
  const status: number[] = [];
  for (const raw of orderIds) {
    let at = performance.now();
    const answer = await call('scan.submit', { raw, source: 'scanner' });
    scan.push(performance.now() - at);
    if (!answer.ok) throw new Error(`scan failed: ${answer.error.message}`);
    at = performance.now();
    await call('app.status', {});
    status.push(performance.now() - at);
  }
  return { scan, status };
}

/**
 * The cost of the process boundary (issue 12): the same calls on a core in this process (as the
 * web transport runs it) and on the core's own process behind main's relay (as the app runs it),
 * same run, same sandbox.
 */
export async function run(ctx: BenchContext): Promise<Figures> {
  const count = ctx.quick ? 60 : 300;
  const orders = todaysOrders(count * 2, '6');
  const sandbox = await startSandbox({ orders });
  const ids = orders.map((o) => o.order_id);
  const inDir = tempDir('tw-bench-inproc-');
  const forkDir = tempDir('tw-bench-fork-');
  try {
    const local = await createCore({ connectPlatform, dataDir: inDir.path, env: sandboxEnv(sandbox), secretCodec: plainCodec });
    const inProcess = await measure((channel, input) => dispatch(local.routes, channel, input), ids.slice(0, count));
    await local.close();

    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const remote = startCoreProcess({
      spawn: () => forkCore({ ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: forkDir.path }).child,
      codec: plainCodec,
      desktop: async () => true,
      log: silent,
      onEvent: () => undefined,
      onSettings: () => undefined,
      onState: () => undefined,
    });
    await remote.started;
    const across = await measure((channel, input) => remote.call(channel, input), ids.slice(count));
    await remote.close();

    const p50 = (values: number[]) => percentile(values, 50);
    return {
      core_process_calls: count,
      scan_in_process_ms_p50: p50(inProcess.scan),
      scan_across_fork_ms_p50: p50(across.scan),
      scan_across_fork_ratio_p50: p50(across.scan) / p50(inProcess.scan),
      status_in_process_ms_p50: p50(inProcess.status),
      status_across_fork_ms_p50: p50(across.status),
    };
  } finally {
    await sandbox.close();
    inDir.remove();
    forkDir.remove();
  }
}
