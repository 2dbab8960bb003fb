import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, DATABASE_FILE, type CoreWithParts } from '../../../electron/core/app';
import { damageMarkOf } from '../../../electron/core/db/damage';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import { sandboxEnv, todaysOrders, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

const PIN = '246810';
const HISTORY = 3000;
const QUEUED = 5;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const openCore = (dataDir: string, sandbox: Sandbox): Promise<CoreWithParts> =>
  createCoreWithParts({ connectPlatform, dataDir, env: sandboxEnv(sandbox), secretCodec: plainCodec, heartbeatMs: 100 });

interface Queued {
  id: number;
  scan_id: number;
  order_id: string;
  verify_token: string;
  verify_time: number;
}

/**
 * A window's day: 3,000 finished scans of history (enough pages to damage one in the middle),
 * then five visitors accepted offline while Douyin was away: their requests are the queue that
 * must survive. A PIN, a window name and audit entries are set as a supervisor would.
 */
async function gateWithAQueue(): Promise<{ dir: string; sandbox: Sandbox; queued: Queued[]; audit: number }> {
  const dir = tempDir('tw-recovery-');
  cleanup.push(() => dir.remove());
  const orders = todaysOrders(QUEUED, '6');
  const sandbox = await startSandbox({ orders });
  cleanup.push(() => sandbox.close());
  const core = await openCore(dir.path, sandbox);
  core.settings.update({ windowName: '东门9号', answerBudgetMs: 500 });
  const insertScan = core.db
    .prepare(`INSERT INTO scans (scanned_at, source, credential_kind, credential_key, credential_display, order_id,
      verdict, reason, staff, window_name) VALUES (?, 'scanner', 'code', ?, ?, ?, 'verified', 'verified', '张三', '东门9号')`);
  core.db.transaction(() => {
    for (let i = 0; i < HISTORY; i += 1)
      insertScan.run(
        Date.now() - 86_400_000 + i,
        `code:H${i}`,
        `H${String(i).padStart(9, '0')}`,
        `8${String(i).padStart(18, '0')}`,
      );
  })();
  const grant = await dispatch(core.routes, 'supervisor.pin.set', { pin: PIN });
  expect(grant.ok).toBe(true);
  sandbox.setOffline(true);
  for (const order of orders) {
    const answer = await core.routes['scan.submit']({ raw: order.order_id, source: 'scanner' });
    expect(answer.verdict).toBe('offline');
  }
  await core.close();
  const db = new Database(join(dir.path, DATABASE_FILE));
  const queued = db.prepare('SELECT id, scan_id, order_id, verify_token, verify_time FROM outbox ORDER BY id').all() as Queued[];
  const audit = (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
  expect(queued).toHaveLength(QUEUED);
  expect(audit).toBeGreaterThan(0);
  // The worker may be mid-send at any moment, so a request's state is not compared, only what it is.
  // Closed cleanly: everything is in the main file, so damage to it is damage to the data.
  expect(existsSync(join(dir.path, `${DATABASE_FILE}-wal`))).toBe(false);
  return { dir: dir.path, sandbox, queued, audit };
}

/** The b-tree pages of one table or index, left to right, with how many cells each holds. */
function pagesOf(file: string, name: string): { pageno: number; ncell: number; pagetype: string }[] {
  const db = new Database(file);
  try {
    return db.prepare(`SELECT pageno, ncell, pagetype FROM dbstat WHERE name = ? ORDER BY path`).all(name) as {
      pageno: number;
      ncell: number;
      pagetype: string;
    }[];
  } finally {
    db.close();
  }
}

/** What a failing disk does to a page: nothing of it is readable any more. */
function smash(file: string, pageno: number, bytes = 4096, at = 0): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(bytes, 0xff), 0, bytes, (pageno - 1) * 4096 + at);
  closeSync(fd);
}

/** After any repair: the queue, the PIN, the settings and the audit log are all still there. */
async function expectTheGateKept(core: CoreWithParts, sandbox: Sandbox, queued: Queued[], audit: number): Promise<void> {
  const now = core.db.prepare('SELECT id, scan_id, order_id, verify_token, verify_time FROM outbox ORDER BY id').all();
  expect(now, 'the same requests, with the same verify_token and verify_time').toEqual(queued);
  expect(core.settings.get().windowName).toBe('东门9号');
  expect((await dispatch(core.routes, 'supervisor.unlock', { pin: PIN })).ok, 'the PIN still works').toBe(true);
  expect((await dispatch(core.routes, 'supervisor.unlock', { pin: '135791' })).ok).toBe(false);
  const actions = (core.db.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[]).map(
    (r) => r.action,
  );
  expect(actions.length).toBeGreaterThanOrEqual(audit + 1);
  expect(actions).toContain('pin_set');
  expect(actions).toContain('database_recovered');
  // Each queued visitor is sent once, with the token made when the staff saw the amber answer.
  sandbox.setOffline(false);
  await core.routes['queue.wake']({});
  await until(() => sandbox.ledger().length >= queued.length, 30_000, 'drain after the repair');
  expect(
    sandbox
      .ledger()
      .map((e) => e.verify_token)
      .sort(),
  ).toEqual(queued.map((q) => q.verify_token).sort());
  for (const q of queued) expect(sandbox.verificationsOf(q.order_id)).toBe(1);
}

async function reopen(dir: string, sandbox: Sandbox): Promise<CoreWithParts> {
  const core = await openCore(dir, sandbox);
  let open = true;
  cleanup.push(async () => {
    if (open) await core.close();
  });
  const close = core.close;
  core.close = async () => {
    open = false;
    await close();
  };
  return core;
}

describe('a damaged database file', () => {
  it('a damaged index is found by the check beside the open database, and rebuilt at the next start with nothing lost', async () => {
    const { dir, sandbox, queued, audit } = await gateWithAQueue();
    const file = join(dir, DATABASE_FILE);
    const leaves = pagesOf(file, 'scans_at').filter((p) => p.pagetype === 'leaf');
    expect(leaves.length).toBeGreaterThan(2);
    smash(file, leaves[1]!.pageno);

    // Start-up does not read the whole file: the window opens and answers at once.
    const running = await reopen(dir, sandbox);
    expect(running.status().databaseDamaged).toBe(false);
    expect(await running.integrityChecked).toMatch(/scans_at|corrupt|malformed|invalid page|btree/i);
    expect(running.status().databaseDamaged, 'the staff are told').toBe(true);
    expect(existsSync(damageMarkOf(file)), 'the next start knows even after a crash').toBe(true);
    await running.close();

    const repaired = await reopen(dir, sandbox);
    // REINDEX cannot free a page it cannot read, so the repair goes on to a new file; no row is lost.
    expect(repaired.status().databaseRecovery).toMatchObject({ lostTables: [] });
    expect(repaired.status().databaseDamaged).toBe(false);
    expect(existsSync(damageMarkOf(file))).toBe(false);
    expect(await repaired.integrityChecked).toBeNull();
    expect((repaired.db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number }).n).toBe(HISTORY + QUEUED);
    await expectTheGateKept(repaired, sandbox, queued, audit);
  });

  it('damaged table pages lose only their own rows: a new file carries the rest, and a queued request whose scan was lost still syncs', async () => {
    const { dir, sandbox, queued, audit } = await gateWithAQueue();
    const file = join(dir, DATABASE_FILE);
    const leaves = pagesOf(file, 'scans').filter((p) => p.pagetype === 'leaf');
    expect(leaves.length).toBeGreaterThan(10);
    // One page in the middle of the history, and the last one, which holds the queued visitors' scans.
    const middle = leaves[Math.floor(leaves.length / 2)]!;
    const last = leaves.at(-1)!;
    smash(file, middle.pageno);
    smash(file, last.pageno);

    const core = await reopen(dir, sandbox);
    // Damage the check finds later goes the same way; here the next start repairs it.
    expect(await core.integrityChecked).not.toBeNull();
    await core.close();
    const repaired = await reopen(dir, sandbox);
    const notice = repaired.status().databaseRecovery;
    expect(notice).toMatchObject({ outcome: 'salvaged', lostTables: ['scans'] });
    expect(notice!.movedTo).toMatch(/ticket-window\.db\.corrupt-\d{8}T\d{9}Z$/);
    expect(repaired.recoveredFrom).toBe(notice!.movedTo);
    expect(repaired.status().recoveredFrom).toBe(notice!.movedTo);
    expect(existsSync(notice!.movedTo!), 'the damaged file is kept for support').toBe(true);
    const ids = (repaired.db.prepare('SELECT id FROM scans ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    // Every row but those on the two damaged pages; the queued scans come back as stand-ins.
    const lostOnLast = last.ncell;
    expect(ids.length).toBe(HISTORY + QUEUED - middle.ncell - lostOnLast + QUEUED);
    expect(ids.at(-1)).toBe(queued.at(-1)!.scan_id);
    expect(ids).toContain(1);
    expect(await repaired.integrityChecked).toBeNull();
    await expectTheGateKept(repaired, sandbox, queued, audit);
    // The stand-ins show in the history the supervisor reads, as what they were: accepted offline.
    const record = repaired.routes['scan.recent']({ limit: 1 });
    expect((await record)[0]).toMatchObject({ orderId: queued.at(-1)!.order_id, state: 'verified' });
  });

  it('garbage over the header: the schema page is rebuilt from the migrations and every row is read', async () => {
    const { dir, sandbox, queued, audit } = await gateWithAQueue();
    const file = join(dir, DATABASE_FILE);
    smash(file, 1, 114);
    const repaired = await reopen(dir, sandbox);
    expect(repaired.status().databaseRecovery).toMatchObject({ outcome: 'salvaged', lostTables: [] });
    expect((repaired.db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number }).n).toBe(HISTORY + QUEUED);
    expect(readdirSync(dir).filter((f) => f.includes('.salvage'))).toEqual([]);
    await expectTheGateKept(repaired, sandbox, queued, audit);
  });

  it('the warning stays, across restarts, until a supervisor acknowledges it (audited)', async () => {
    const { dir, sandbox } = await gateWithAQueue();
    smash(join(dir, DATABASE_FILE), 1, 114);
    const first = await reopen(dir, sandbox);
    const notice = first.status().databaseRecovery!;
    expect(notice).not.toBeNull();
    await first.close();

    const second = await reopen(dir, sandbox);
    expect(second.status().databaseRecovery, 'a restart does not clear it').toEqual(notice);
    expect(second.recoveredFrom, 'this start repaired nothing').toBeUndefined();
    const staff = await dispatch(second.routes, 'supervisor.database.acknowledge', {
      session: 'x'.repeat(32),
      recoveryId: notice.id,
    });
    expect(staff.ok ? null : staff.error.code, 'only a supervisor').toBe('unauthorized');
    const grant = await dispatch(second.routes, 'supervisor.unlock', { pin: PIN });
    const session = (grant as { ok: true; value: { token: string } }).value.token;
    const wrong = await dispatch(second.routes, 'supervisor.database.acknowledge', { session, recoveryId: notice.id + 1 });
    expect(wrong.ok ? null : wrong.error.code).toBe('not_found');
    const seen: unknown[] = [];
    second.events.subscribe((event, payload) => {
      if (event === 'status.changed') seen.push((payload as { databaseRecovery: unknown }).databaseRecovery);
    });
    expect((await dispatch(second.routes, 'supervisor.database.acknowledge', { session, recoveryId: notice.id })).ok).toBe(true);
    expect(second.status().databaseRecovery).toBeNull();
    expect(second.status().recoveredFrom).toBeNull();
    expect(seen.at(-1), 'every screen hears of it at once').toBeNull();
    const last = second.db.prepare('SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1').get();
    // Audited in the name of the supervisor who acknowledged it (operators issue: 0001 is the first).
    expect(last).toEqual({
      actor: '0001@东门9号',
      action: 'database_recovery_acknowledged',
      detail: `recovery ${notice.id}`,
    });
    await second.close();

    const third = await reopen(dir, sandbox);
    expect(third.status().databaseRecovery).toBeNull();
    await third.close();
  });
});
