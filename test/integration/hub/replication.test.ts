import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox } from '../../../electron/sandbox';
import type { Result } from '../../../shared/ipc/result';
import { sandboxEnv, todaysOrders } from '../../support/core-harness';
import { superviseForkedCore } from '../../support/core-child';
import { eventually, freePort, pairedDataDir, startHubProcess, startTestPostgres, type RunningHub } from '../../support/hub';

const ADMIN_TOKEN = 'hub-admin-token-for-tests';
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('one history: the window outbox to the hub, exactly once', () => {
  it('keeps every scan, attempt and operator once at the hub across a SIGKILL of the window core and of the hub', async () => {
    const orders = todaysOrders(40, '5');
    const postgres = await startTestPostgres();
    cleanup.push(() => postgres.stop());
    const sandbox = await startSandbox({ orders });
    cleanup.push(() => sandbox.close());
    const db = new pg.Pool({ connectionString: postgres.url });
    cleanup.push(() => db.end());
    const hubEnv = {
      DATABASE_URL: postgres.url,
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      HUB_PORT: String(await freePort()),
      DOUYIN_BASE_URL: sandbox.url,
      DOUYIN_CLIENT_KEY: SANDBOX_CLIENT_KEY,
      DOUYIN_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    };
    let hub: RunningHub = await startHubProcess(hubEnv);
    cleanup.push(() => hub.stop());

    const { dir, windowId } = await pairedDataDir(hub.url, ADMIN_TOKEN, '1号窗口');
    cleanup.push(() => dir.remove());
    const supervised = superviseForkedCore({
      ...sandboxEnv(sandbox),
      TICKET_WINDOW_DATA_DIR: dir.path,
      TICKET_WINDOW_HEARTBEAT_MS: '100',
      TICKET_WINDOW_HUB_CLAIM_BUDGET_MS: '5000',
      TICKET_WINDOW_VERSION: '0.1.0-test',
    });
    cleanup.push(() => supervised.close());
    const { core, forks, states } = supervised;
    await core.started;

    const hubSeq = async () =>
      Number((await db.query<{ last_seq: string }>('SELECT last_seq FROM windows WHERE id = $1', [windowId])).rows[0]?.last_seq);
    /** A scan, submitted again if the core was restarting (nothing was recorded then). */
    const scan = async (raw: string) => {
      for (;;) {
        const result: Result<unknown> = await core.call('scan.submit', { raw, source: 'scanner' });
        if (result.ok) return;
        if (result.error.code !== 'recovering') throw new Error(result.error.message);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // Slow Douyin keeps attempts and outcome changes coming while the history goes out.
    sandbox.setLatency(30, 30);
    for (const order of orders.slice(0, 15)) await scan(order.order_id);
    await eventually(async () => (await hubSeq()) > 0, 'the first history at the hub');
    forks[0]!.process.kill('SIGKILL');
    await eventually(() => states.includes('ready'), 'the restarted core', 45_000);
    for (const order of orders.slice(15, 30)) await scan(order.order_id);

    // The hub dies mid-stream; the window goes on (cached site token), claims later, sends later.
    await hub.kill();
    for (const order of orders.slice(30)) await scan(order.order_id);
    hub = await startHubProcess(hubEnv);

    const hubScans = async () =>
      (
        await db.query<{ scan_id: string; outcome: string; site_claim: string | null }>(
          'SELECT scan_id, outcome, site_claim FROM scans WHERE window_id = $1 ORDER BY scan_id::int',
          [windowId],
        )
      ).rows;
    await eventually(
      async () => {
        const rows = await hubScans();
        return rows.length === orders.length && rows.every((r) => r.outcome === 'verified' && r.site_claim === 'claimed');
      },
      'every scan verified and claimed, at the hub',
      45_000,
    );
    await core.close();

    // The window's own record, read back from its file: the hub holds exactly the same, once.
    const local = new Database(join(dir.path, 'ticket-window.db'), { readonly: true });
    try {
      const scans = local.prepare('SELECT id, outcome, site_claim FROM scans ORDER BY id').all() as {
        id: number;
        outcome: string;
        site_claim: string;
      }[];
      expect(await hubScans()).toEqual(
        scans.map((s) => ({ scan_id: String(s.id), outcome: s.outcome, site_claim: s.site_claim })),
      );
      const attempts = local.prepare('SELECT id FROM attempts ORDER BY id').all() as { id: number }[];
      const hubAttempts = await db.query<{ attempt_id: string }>(
        'SELECT attempt_id FROM scan_attempts WHERE window_id = $1 ORDER BY attempt_id',
        [windowId],
      );
      expect(hubAttempts.rows.map((r) => Number(r.attempt_id))).toEqual(attempts.map((a) => a.id));
      const operators = await db.query('SELECT staff_no FROM operators WHERE window_id = $1', [windowId]);
      expect(operators.rowCount).toBe((local.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n);
      // Every change the window logged is at the hub, and nothing is left to send.
      const lastLogged = local.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'hub_changes'`).get() as { seq: number };
      expect(local.prepare('SELECT count(*) AS n FROM hub_changes').get()).toEqual({ n: 0 });
      expect(await hubSeq()).toBe(lastLogged.seq);
    } finally {
      local.close();
    }
    const version = await db.query('SELECT version FROM windows WHERE id = $1', [windowId]);
    expect(version.rows[0]).toEqual({ version: '0.1.0-test' });
    // And Douyin verified each ticket once.
    const perOrder = new Map<string, number>();
    for (const entry of sandbox.ledger()) perOrder.set(entry.order_id, (perOrder.get(entry.order_id) ?? 0) + 1);
    expect(perOrder.size).toBe(orders.length);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
  }, 150_000);
});
