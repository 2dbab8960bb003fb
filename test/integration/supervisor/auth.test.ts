import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { LOCKOUT_MS } from '../../../electron/core/supervisor/pin-vault';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
let core: CoreWithParts | undefined;
let clock = 0;
const IDLE_MS = 60_000;

async function start(): Promise<CoreWithParts> {
  core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: {},
    secretCodec: plainCodec,
    now: () => clock,
    supervisorIdleMs: IDLE_MS,
  });
  return core;
}
const call = (channel: string, input: unknown) => dispatch(core!.routes, channel, input);
async function grant(channel: string, input: unknown): Promise<string> {
  const result = await call(channel, input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return (result.value as { token: string }).token;
}
const history = (session: string) => call('supervisor.history', { session, filter: {}, limit: 10 });

afterEach(async () => {
  await core?.close();
  core = undefined;
  dir.remove();
});

describe('supervisor PIN and session', () => {
  it('sets the PIN once at first run, stores only a salted scrypt hash, and unlocks with it', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    expect(await call('supervisor.auth', {})).toEqual({ ok: true, value: { pinSet: false, lockedUntil: null } });
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    expect((await history(token)).ok).toBe(true);
    const again = await call('supervisor.pin.set', { pin: '111111' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const row = core!.db.prepare('SELECT hash, salt, params FROM operators').get() as {
      hash: string;
      salt: string;
      params: string;
    };
    expect(row.hash).not.toContain('246810');
    expect(Buffer.from(row.salt, 'base64')).toHaveLength(16);
    expect(JSON.parse(row.params)).toMatchObject({ N: 16384 });
    expect((await call('supervisor.unlock', { pin: '246810' })).ok).toBe(true);
  });

  it('refuses every supervisor route without the live session', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    expect(await history('x'.repeat(43))).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await call('supervisor.queue', {})).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    await call('supervisor.lock', { session: token });
    for (const channel of ['supervisor.queue', 'supervisor.settings', 'supervisor.shift.current', 'supervisor.audit']) {
      const input = channel === 'supervisor.audit' ? { session: token, limit: 5 } : { session: token };
      expect(await call(channel, input)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('locks for 5 minutes after 5 wrong PINs, and the lock survives a restart', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    for (let i = 0; i < 4; i += 1) {
      expect(await call('supervisor.unlock', { pin: '000000' })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', detail: 'sup.error.wrongPin' },
      });
    }
    expect(await call('supervisor.unlock', { pin: '000000' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await call('supervisor.unlock', { pin: '246810' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Guessing at the staff screen does not throw out a supervisor whose session is open (issue 11).
    expect((await history(token)).ok).toBe(true);

    await core!.close();
    clock += LOCKOUT_MS - 1000;
    await start();
    expect(await call('supervisor.auth', {})).toMatchObject({
      ok: true,
      value: { pinSet: true, lockedUntil: expect.any(Number) },
    });
    expect(await call('supervisor.unlock', { pin: '246810' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    clock += 1000;
    expect((await call('supervisor.unlock', { pin: '246810' })).ok).toBe(true);
  });

  it('locks itself after the idle time; activity pushes the expiry back', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    clock += IDLE_MS - 1;
    expect((await call('supervisor.touch', { session: token })).ok).toBe(true);
    clock += IDLE_MS - 1;
    expect((await history(token)).ok).toBe(true);
    clock += IDLE_MS;
    expect(await history(token)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', detail: 'sup.error.sessionExpired' },
    });
    expect(await history(token)).toMatchObject({ ok: false, error: { code: 'unauthorized', detail: 'sup.error.sessionLocked' } });
  });

  it('audits the session and refuses to update or delete the audit log', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    await call('supervisor.unlock', { pin: '999999' });
    const list = await call('supervisor.audit', { session: token, limit: 10 });
    expect(list.ok && (list.value as { action: string }[]).map((e) => e.action)).toEqual(['unlock_failed', 'pin_set']);
    expect(() => core!.db.prepare(`UPDATE audit_log SET action = 'nothing'`).run()).toThrow(/append-only/);
    expect(() => core!.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((core!.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n).toBe(2);
  });
});

describe('PIN policy (defects issue, items 7 and 10)', () => {
  it('lets exactly one of two concurrent first-run PIN sets win; the other is a conflict', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    const [a, b] = await Promise.all([
      call('supervisor.pin.set', { pin: '246810' }),
      call('supervisor.pin.set', { pin: '135790' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ error: { code: 'conflict' } });
    const winner = a.ok ? '246810' : '135790';
    const loser = a.ok ? '135790' : '246810';
    expect((await call('supervisor.unlock', { pin: winner })).ok).toBe(true);
    expect(await call('supervisor.unlock', { pin: loser })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a new PIN shorter than 6 digits, yet still unlocks with a 4-digit PIN set by an earlier version', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    expect(await call('supervisor.pin.set', { pin: '12345' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const token = await grant('supervisor.pin.set', { pin: '246810' });
    expect(await call('supervisor.pin.change', { session: token, pin: '9999' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    // An install from before the rule: its stored PIN has 4 digits.
    const { PinVault } = await import('../../../electron/core/supervisor/pin-vault');
    const { OperatorBook } = await import('../../../electron/core/operators/operator-book');
    await new OperatorBook(core!.db, new PinVault(core!.db, () => clock), () => clock).resetPin('0001', '4321');
    expect((await call('supervisor.unlock', { pin: '4321' })).ok).toBe(true);
  });

  it('makes each lockout in a row twice as long as the one before', async () => {
    dir = tempDir();
    clock = Date.now();
    await start();
    await grant('supervisor.pin.set', { pin: '246810' });
    const lockedFor = async () => {
      for (let i = 0; i < 5; i++) await call('supervisor.unlock', { pin: '000000' });
      const state = await call('supervisor.auth', {});
      const until = (state as { value: { lockedUntil: number | null } }).value.lockedUntil;
      return until === null ? null : until - clock;
    };
    expect(await lockedFor()).toBe(LOCKOUT_MS);
    clock += LOCKOUT_MS + 1;
    expect(await lockedFor()).toBe(2 * LOCKOUT_MS);
    clock += 2 * LOCKOUT_MS + 1;
    expect(await lockedFor()).toBe(4 * LOCKOUT_MS);
    // The right PIN ends the run: the next lockout is the short one again.
    clock += 4 * LOCKOUT_MS + 1;
    expect((await call('supervisor.unlock', { pin: '246810' })).ok).toBe(true);
    expect(await lockedFor()).toBe(LOCKOUT_MS);
  });
});
