import Database from 'better-sqlite3';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreWithParts } from '../../../electron/core/app';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import type { HubServer } from '../../../hub/server';
import type { VoucherOrderInput } from '../../../shared/vouchers/file';
import { sandboxEnv, todaysOrders } from '../../support/core-harness';
import { superviseForkedCore } from '../../support/core-child';
import {
  eventually,
  freePort,
  pairedDataDir,
  startPairedWindow,
  startTestHub,
  startTestPostgres,
  TEST_ADMIN_TOKEN as ADMIN,
} from '../../support/hub';

const ID = '11010519491231002X';
let postgres: LocalPostgres;
let db: Db;
let sandbox: Sandbox;
const opened: { close(): Promise<void> }[] = [];
const orders = todaysOrders(3000, '4');

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  sandbox = await startSandbox({ orders });
}, 30_000);

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
  await db.query('TRUNCATE hub_vouchers, hub_voucher_loads, hub_voucher_pulls');
});

afterAll(async () => {
  await db?.end();
  await sandbox?.close();
  await postgres?.stop();
});

const startHub = (port = 0): Promise<HubServer> => startTestHub(db, { douyinUrl: sandbox.url, port });

/** A supervisor loads the voucher file at the hub (the admin page posts the file here). */
async function load(hubUrl: string, text: string) {
  const answer = await request(`${hubUrl}/admin/api/vouchers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}` },
    body: text,
  });
  return { status: answer.statusCode, body: (await answer.body.json()) as Record<string, unknown> };
}

const line = (i: number, qr = `QR-SITE-${String(i).padStart(5, '0')}`): VoucherOrderInput => ({
  order_id: orders[i]!.order_id,
  multi_store: false,
  visit_date: orders[i]!.visit_date,
  voucher: { entrance: { project_id: 'a0', name: '成人门票', qrcodes: [qr], ...(i === 0 ? { id_cards: [ID] } : {}) } },
});
const file = (lines: VoucherOrderInput[]) => lines.map((l) => JSON.stringify(l)).join('\n');

async function startWindow(name: string, hubUrl: string): Promise<{ core: CoreWithParts; windowId: string }> {
  const window = await startPairedWindow(db, sandbox, { name, pairUrl: hubUrl, hubSyncMs: 200 });
  opened.push(window);
  return window;
}

const cursorOf = (core: CoreWithParts, windowId: string) =>
  (
    core.db.prepare('SELECT cursor FROM hub_voucher_cursor WHERE hub_window_id = ?').get(windowId) as
      { cursor: number } | undefined
  )?.cursor ?? 0;
const hubTop = async () =>
  Number((await db.query<{ top: string }>('SELECT coalesce(max(seq), 0) AS top FROM hub_vouchers')).rows[0]!.top);
const importedAt = (core: CoreWithParts) =>
  Object.fromEntries(
    (
      core.db.prepare('SELECT order_id, imported_at FROM voucher_orders').all() as { order_id: string; imported_at: number }[]
    ).map((r) => [r.order_id, r.imported_at]),
  );
const scan = (core: CoreWithParts, raw: string) => core.routes['scan.submit']({ raw, source: 'scanner' });

describe('vouchers once: loaded at the hub, pulled by every window', () => {
  it('two windows pull the load, a second load reaches them as its delta only, and with the hub away they still resolve', async () => {
    const port = await freePort();
    let hub = await startHub(port);
    const first = await load(hub.url, file([0, 1, 2, 3, 4].map((i) => line(i))));
    expect(first).toMatchObject({ status: 200, body: { orders: 5, changed: 5, removed: 0 } });
    // ID numbers rest sealed at the hub: no row holds one in clear.
    const clear = await db.query(`SELECT 1 FROM hub_vouchers WHERE sealed LIKE $1`, [`%${ID.slice(0, 10)}%`]);
    expect(clear.rowCount).toBe(0);

    const windows = [await startWindow('1号窗口', hub.url), await startWindow('2号窗口', hub.url)];
    const top = await hubTop();
    await eventually(() => windows.every((w) => cursorOf(w.core, w.windowId) === top), 'both windows at the hub’s cursor');
    for (const { core } of windows) expect(await core.routes['vouchers.summary']({})).toEqual({ orders: 5 });

    expect(await scan(windows[0]!.core, 'QR-SITE-00001')).toMatchObject({ verdict: 'verified', projectName: '成人门票' });
    expect(sandbox.ledger().map((entry) => entry.order_id)).toContain(orders[1]!.order_id);
    // An ID number loaded at the hub is found by the window's own keyed index.
    expect(await scan(windows[1]!.core, ID)).toMatchObject({ verdict: 'verified', projectName: '成人门票' });

    // Second load: order 2 has a new code, order 4 is withdrawn, 0, 1 and 3 are as before.
    const before = windows.map((w) => importedAt(w.core));
    const pullsBefore = Number((await db.query('SELECT count(*) AS n FROM hub_voucher_pulls')).rows[0].n);
    const second = await load(hub.url, file([line(0), line(1), line(2, 'QR-SITE-NEW02'), line(3)]));
    expect(second).toMatchObject({ status: 200, body: { orders: 4, changed: 1, removed: 1 } });
    const top2 = await hubTop();
    await eventually(() => windows.every((w) => cursorOf(w.core, w.windowId) === top2), 'both windows at the new cursor');
    // Each window was sent exactly the two changed rows, in the pulls since the second load.
    const moved = await db.query<{ window_id: string; rows: string }>(
      `SELECT window_id, sum(rows) AS rows FROM hub_voucher_pulls
        WHERE pulled_at >= (SELECT max(loaded_at) FROM hub_voucher_loads) GROUP BY window_id`,
    );
    expect(moved.rows.map((r) => Number(r.rows))).toEqual([2, 2]);
    expect(Number((await db.query('SELECT count(*) AS n FROM hub_voucher_pulls')).rows[0].n)).toBeGreaterThan(pullsBefore);
    for (const [i, { core }] of windows.entries()) {
      const after = importedAt(core);
      expect(Object.keys(after).sort()).toEqual([0, 1, 2, 3].map((n) => orders[n]!.order_id).sort());
      // Only order 2 was written again; the others kept their rows untouched.
      for (const n of [0, 1, 3]) expect(after[orders[n]!.order_id]).toBe(before[i]![orders[n]!.order_id]);
    }
    expect(await scan(windows[1]!.core, 'QR-SITE-00004')).toMatchObject({ verdict: 'refused', reason: 'not_found' });
    expect(await scan(windows[1]!.core, 'QR-SITE-00002')).toMatchObject({ verdict: 'refused', reason: 'not_found' });

    // The hub goes away: the window resolves from its own copy.
    await hub.close();
    const away = await scan(windows[0]!.core, 'QR-SITE-NEW02');
    expect(away.projectName).toBe('成人门票');
    expect(away.admit).toBe(true);
    hub = await startHub(port);
    opened.push(hub);
  }, 60_000);

  it('refuses a bad file whole, with the line, and changes nothing', async () => {
    const hub = await startHub();
    opened.push(hub);
    const bad = await load(hub.url, `${file([line(0)])}\n{"order_id": 12}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_voucher_file', message: { 'zh-CN': expect.stringContaining('第 2 行') } });
    expect((await db.query('SELECT count(*)::int AS n FROM hub_vouchers')).rows[0]).toEqual({ n: 0 });
    const unauthenticated = await request(`${hub.url}/admin/api/vouchers`, { method: 'POST', body: file([line(0)]) });
    expect(unauthenticated.statusCode).toBe(401);
    await unauthenticated.body.dump();
  });

  it('a pull interrupted by SIGKILL of the window resumes from its stored cursor, without duplicates', async () => {
    const hub = await startHub();
    opened.push(hub);
    expect((await load(hub.url, file(orders.map((_, i) => line(i))))).status).toBe(200);
    const top = await hubTop();
    const { dir, windowId } = await pairedDataDir(hub.url, ADMIN, '3号窗口');
    opened.push({ close: async () => dir.remove() });
    const supervised = superviseForkedCore({ ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dir.path });
    opened.push({ close: () => supervised.close() });
    const pulls = async () =>
      (
        await db.query<{ after_seq: string; pulled_at: Date }>(
          'SELECT after_seq, pulled_at FROM hub_voucher_pulls WHERE window_id = $1 ORDER BY pulled_at, after_seq',
          [windowId],
        )
      ).rows;
    await eventually(async () => (await pulls()).length >= 2, 'the window pulling its second page');
    supervised.forks[0]!.process.kill('SIGKILL');
    const killedAt = new Date();

    // What the killed window holds: the pages it committed, with the cursor after the last of them.
    const file0 = new Database(join(dir.path, 'ticket-window.db'), { readonly: true });
    const stored = file0.prepare('SELECT cursor FROM hub_voucher_cursor WHERE hub_window_id = ?').get(windowId) as {
      cursor: number;
    };
    const held = (file0.prepare('SELECT count(*) AS n FROM voucher_orders').get() as { n: number }).n;
    file0.close();
    expect(stored.cursor).toBeGreaterThan(0);
    expect(stored.cursor).toBeLessThan(top);
    const upTo = await db.query('SELECT count(*)::int AS n FROM hub_vouchers WHERE seq <= $1', [stored.cursor]);
    expect(held).toBe(upTo.rows[0].n);

    await eventually(() => supervised.forks.length === 2, 'main restarting the core', 30_000);
    await eventually(async () => (await pulls()).some((p) => p.pulled_at > killedAt), 'the restarted window pulling', 45_000);
    const resumed = (await pulls()).filter((p) => p.pulled_at > killedAt);
    expect(Number(resumed[0]!.after_seq)).toBe(stored.cursor);
    await eventually(
      () => {
        const check = new Database(join(dir.path, 'ticket-window.db'), { readonly: true });
        try {
          const row = check.prepare('SELECT cursor FROM hub_voucher_cursor WHERE hub_window_id = ?').get(windowId) as {
            cursor: number;
          };
          return row.cursor === top;
        } finally {
          check.close();
        }
      },
      'the window at the hub’s cursor',
      45_000,
    );
    await supervised.close();
    const final = new Database(join(dir.path, 'ticket-window.db'), { readonly: true });
    try {
      expect(final.prepare('SELECT count(*) AS n FROM voucher_orders').get()).toEqual({ n: orders.length });
      // One credential row per code: nothing was indexed twice.
      expect(final.prepare('SELECT count(*) AS n FROM voucher_credentials').get()).toEqual({ n: orders.length + 1 });
    } finally {
      final.close();
    }
  }, 120_000);
});
