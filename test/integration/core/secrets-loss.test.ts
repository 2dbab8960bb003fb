import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { startSandbox, type Sandbox } from '../../../electron/sandbox';
import { businessDate } from '../../../shared/time';
import { outboxStates, sandboxEnv, todaysOrders, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

const ID = '11010519491231002X';
const ORDER = '9000000000000000000';
const vouchers = JSON.stringify({
  order_id: ORDER,
  multi_store: false,
  visit_date: businessDate(Date.now()),
  voucher: { entrance: { project_id: 'a0', name: '成人门票', id_cards: [ID] } },
});

let dir: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let core: CoreWithParts | undefined;
afterEach(async () => {
  await core?.close();
  await sandbox.close();
  dir.remove();
  core = undefined;
});

async function open(): Promise<CoreWithParts> {
  core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
    heartbeatMs: 100,
  });
  core.settings.update({ answerBudgetMs: 800 });
  return core;
}
async function restart(damage: (file: string) => void): Promise<CoreWithParts> {
  await core!.close();
  core = undefined;
  damage(join(dir.path, 'secrets.sealed'));
  return open();
}
async function supervisorSession(c: CoreWithParts): Promise<string> {
  const grant = await dispatch(c.routes, 'supervisor.pin.set', { pin: '864200' });
  return grant.ok ? (grant.value as { token: string }).token : '';
}

/** A window that has indexed an ID number and holds one sealed in a queued request. */
async function windowWithSealedIdInQueue(): Promise<CoreWithParts> {
  dir = tempDir();
  sandbox = await startSandbox({ orders: todaysOrders(1) });
  const c = await open();
  await dispatch(c.routes, 'vouchers.import', { session: await supervisorSession(c), text: vouchers });
  sandbox.setOffline(true);
  const answer = await c.routes['scan.submit']({ raw: ID, source: 'scanner' });
  expect(answer.verdict).toBe('offline');
  return c;
}

describe('losing secrets.sealed', () => {
  it('a missing store is loud: the queued request it sealed goes to needs attention with its reason, and the supervisor is told', async () => {
    await windowWithSealedIdInQueue();
    sandbox.setOffline(false);
    const c = await restart((file) => rmSync(file));

    await until(() => outboxStates(c).needs_attention === 1, 5000, 'the unopenable request set aside');
    const reason = c.db.prepare('SELECT last_reason FROM outbox').pluck().get() as string;
    expect(reason).toContain('secrets.sealed');
    expect(sandbox.ledger()).toHaveLength(0);

    expect(c.status().secretsLost).toMatchObject({ store: 'missing', idLookupsLost: true, setAside: 1 });
    const audit = c.db.prepare(`SELECT actor, action FROM audit_log WHERE action = 'secrets_lost'`).all();
    expect(audit).toEqual([{ actor: 'system', action: 'secrets_lost' }]);
  });

  it('an empty or unreadable store (a power cut mid-write) does not stop the app; it is kept aside for support', async () => {
    await windowWithSealedIdInQueue();
    const c = await restart((file) => writeFileSync(file, ''));
    expect(c.status().secretsLost).toMatchObject({ store: 'unreadable' });
    expect(readdirSync(dir.path).some((name) => name.startsWith('secrets.sealed.unreadable-'))).toBe(true);
    expect(existsSync(join(dir.path, 'secrets.sealed'))).toBe(true);
  });

  it('the notice stays across restarts until a supervisor acknowledges it, and the acknowledgement is audited', async () => {
    await windowWithSealedIdInQueue();
    await restart((file) => rmSync(file));
    const c = await restart(() => undefined);
    expect(c.status().secretsLost).not.toBeNull();

    const { token: session } = await c.routes['supervisor.unlock']({ pin: '864200' });
    expect((await dispatch(c.routes, 'supervisor.secretsLost.acknowledge', { session })).ok).toBe(true);
    expect(c.status().secretsLost).toBeNull();
    const actions = c.db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'secrets_lost%' ORDER BY id`).pluck().all();
    expect(actions).toEqual(['secrets_lost', 'secrets_lost_acknowledged']);
    const again = await restart(() => undefined);
    expect(again.status().secretsLost).toBeNull();
  });

  it('a fresh install with no store and nothing depending on it starts quietly', async () => {
    dir = tempDir();
    sandbox = await startSandbox({ orders: todaysOrders(1) });
    const c = await open();
    expect(c.status().secretsLost).toBeNull();
    await restart((file) => rmSync(file));
    expect(core!.status().secretsLost).toBeNull();
  });
});
