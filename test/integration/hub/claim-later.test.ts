import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreWithParts } from '../../../electron/core/app';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { siteReport } from '../../../hub/report';
import type { HubServer } from '../../../hub/server';
import { businessDate } from '../../../shared/time';
import { todaysOrders } from '../../support/core-harness';
import { eventually, freePort, startPairedWindow, startTestHub, startTestPostgres } from '../../support/hub';

const orders = todaysOrders(6, '6');
let postgres: LocalPostgres;
let db: Db;
let sandbox: Sandbox;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  sandbox = await startSandbox({ orders });
}, 30_000);

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

afterAll(async () => {
  await db?.end();
  await sandbox?.close();
  await postgres?.stop();
});

/** The hub on a fixed port, so it can go away and come back where the windows know it. */
const startHub = (port: number): Promise<HubServer> => startTestHub(db, { douyinUrl: sandbox.url, port });

async function startWindow(name: string, hubUrl: string): Promise<CoreWithParts> {
  const window = await startPairedWindow(db, sandbox, { name, pairUrl: hubUrl, hubSyncMs: 200 });
  opened.push(window);
  return window.core;
}

const scanOf = (core: CoreWithParts, scanId: number) =>
  core.db.prepare('SELECT site_claim, outcome, reason FROM scans WHERE id = ?').get(scanId) as {
    site_claim: string | null;
    outcome: string;
    reason: string;
  };

describe('claim later: a scan made while the hub was away', () => {
  it('two windows, hub down: both admit; when it returns one claim loses and is a conflict for the supervisor, Douyin verifies once', async () => {
    const port = await freePort();
    let hub = await startHub(port);
    const [one, two] = [await startWindow('1号窗口', hub.url), await startWindow('2号窗口', hub.url)];
    await hub.close();

    const raw = orders[0]!.order_id;
    const answers = await Promise.all([
      one.routes['scan.submit']({ raw, source: 'scanner' }),
      two.routes['scan.submit']({ raw, source: 'scanner' }),
    ]);
    // No hub, so no site token: each window accepts offline by its own rule, and both let the visitor in.
    expect(answers.map((a) => [a.verdict, a.admit])).toEqual([
      ['offline', true],
      ['offline', true],
    ]);
    const scans = [scanOf(one, answers[0].scanId!), scanOf(two, answers[1].scanId!)];
    expect(scans.map((s) => s.site_claim)).toEqual(['unclaimed', 'unclaimed']);
    expect(one.hub.status()).toMatchObject({ paired: true, unclaimed: 1 });

    hub = await startHub(port);
    opened.push(hub);
    const windows = [one, two] as const;
    await eventually(
      () => windows.every((core, i) => scanOf(core, answers[i]!.scanId!).site_claim !== 'unclaimed'),
      'both later claims',
    );
    const after = windows.map((core, i) => scanOf(core, answers[i]!.scanId!));
    expect(after.map((s) => s.site_claim).sort()).toEqual(['claimed', 'lost']);
    const loser = after.findIndex((s) => s.site_claim === 'lost');
    expect(after[loser]).toMatchObject({ outcome: 'conflict', reason: 'used_elsewhere' });
    // The loser's request was held for a supervisor, not sent: the ticket is verified once, by the winner.
    const held = windows[loser]!.db.prepare(`SELECT state, last_reason FROM outbox WHERE scan_id = ?`).get(
      answers[loser]!.scanId!,
    );
    expect(held).toMatchObject({
      state: 'needs_attention',
      last_reason: expect.stringMatching(/^used_elsewhere · site hub: [12]号窗口/),
    });
    expect(windows[loser]!.status().queue.needsAttention).toBe(1);
    windows[1 - loser]!.worker.wake({ networkBack: true });
    await eventually(
      () => scanOf(windows[1 - loser]!, answers[1 - loser]!.scanId!).outcome === 'verified',
      'the winner to verify',
    );
    expect(sandbox.ledger().filter((e) => e.order_id === raw)).toHaveLength(1);

    // The conflict reaches the site's page through the loser's history.
    await eventually(
      async () => (await siteReport(db, businessDate(Date.now()))).conflicts.length === 1,
      'the conflict at the hub',
    );
    const report = await siteReport(db, businessDate(Date.now()));
    expect(report.conflicts[0]).toMatchObject({ window: `${loser + 1}号窗口`, orderId: raw });
    expect(report.windows.find((w) => w.name === `${loser + 1}号窗口`)).toMatchObject({ conflicts: 1, needsAttention: 0 });
  }, 60_000);

  it('a claim made later that wins needs nothing: the scan syncs as usual and the hub holds the claim with its time of use', async () => {
    const port = await freePort();
    let hub = await startHub(port);
    const one = await startWindow('3号窗口', hub.url);
    await hub.close();
    const raw = orders[1]!.order_id;
    const answer = await one.routes['scan.submit']({ raw, source: 'scanner' });
    expect(answer.verdict).toBe('offline');
    hub = await startHub(port);
    opened.push(hub);
    await eventually(() => scanOf(one, answer.scanId!).site_claim === 'claimed', 'the later claim');
    const claim = await db.query<{ ms: string }>(
      `SELECT (extract(epoch FROM claimed_at) * 1000)::bigint AS ms FROM claims WHERE ticket_key = $1`,
      [`order:${raw}:*`],
    );
    expect(Number(claim.rows[0]?.ms)).toBe(answer.at);
    expect(scanOf(one, answer.scanId!).outcome).not.toBe('conflict');
  }, 60_000);
});
