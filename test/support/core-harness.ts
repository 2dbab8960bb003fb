import { createCoreWithParts, type CoreOptions, type CoreWithParts } from '../../electron/core/app';
import { connectPlatform } from '../../electron/platform/connect';
import { plainCodec } from '../../electron/core/secrets/store';
import {
  SANDBOX_CLIENT_KEY,
  SANDBOX_CLIENT_SECRET,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
  type SandboxOrderInput,
} from '../../electron/sandbox';
import { businessDate } from '../../shared/time';
import type { Settings } from '../../shared/domain/settings';
import { tempDir } from './temp';

/** N whole-order tickets valid today, with 19-digit ids that cannot collide with the demo's. */
export function todaysOrders(count: number, prefix = '9'): SandboxOrderInput[] {
  const today = businessDate(Date.now());
  return Array.from({ length: count }, (_, i) => ({
    order_id: `${prefix}${String(i).padStart(18, '0')}`,
    visit_date: today,
    poi_ids: ['7000000000000000001'],
    multi_store: false,
    state: 'paid' as const,
    projects: [{ project_id: 'a0', name: '成人门票', certificate_nos: [] }],
  }));
}

/** The environment that makes a core talk to this sandbox in live mode, as a real window would. */
export function sandboxEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
  return {
    DOUYIN_OPEN_BASE_URL: sandbox.url,
    DOUYIN_CLIENT_KEY: SANDBOX_CLIENT_KEY,
    DOUYIN_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    DOUYIN_SHORT_LINK_HOSTS: sandbox.coupons.shortLinkUrl,
  };
}

/** Settings written into a data folder before its core runs in a process of its own (a kill test's child). */
export async function presetDataDir(dataDir: string, sandbox: Sandbox, settings: Partial<Settings>): Promise<void> {
  const setup = await createCoreWithParts({ connectPlatform, dataDir, env: sandboxEnv(sandbox), secretCodec: plainCodec });
  setup.settings.update(settings);
  await setup.close();
}

export interface Harness {
  core: CoreWithParts;
  sandbox: Sandbox;
  dataDir: string;
  close(): Promise<void>;
}

/** A real core on a real SQLite file in a temp folder, talking real HTTP to a real sandbox. */
export async function startHarness(
  options: {
    orders?: SandboxOrderInput[];
    sandbox?: SandboxOptions;
    settings?: Partial<Settings>;
    heartbeatMs?: number;
    /** The core's clock (the sandbox has its own, in `sandbox.now`). */
    now?: () => number;
    printerTimeouts?: CoreOptions['printerTimeouts'];
    winspoolPath?: string;
  } = {},
): Promise<Harness> {
  const dir = tempDir('tw-core-');
  const sandbox = await startSandbox({ orders: options.orders ?? todaysOrders(20), ...options.sandbox });
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
    heartbeatMs: options.heartbeatMs ?? 200,
    ...(options.now ? { now: options.now } : {}),
    ...(options.printerTimeouts ? { printerTimeouts: options.printerTimeouts } : {}),
    ...(options.winspoolPath ? { winspoolPath: options.winspoolPath } : {}),
  });
  if (options.settings) core.settings.update(options.settings);
  return {
    core,
    sandbox,
    dataDir: dir.path,
    async close() {
      await core.close();
      await sandbox.close();
      dir.remove();
    },
  };
}

/** Polls until `check` holds; bounded so a broken drain fails the test instead of hanging it. */
export async function until(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function outboxStates(core: CoreWithParts): Record<string, number> {
  const rows = core.db.prepare(`SELECT state, COUNT(*) AS n FROM outbox GROUP BY state`).all() as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
