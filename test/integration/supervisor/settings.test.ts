import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox, type Sandbox } from '../../../electron/sandbox';
import type { Channel, Output } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { todaysOrders, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
let core: CoreWithParts | undefined;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await core?.close();
  await sandbox?.close();
  core = undefined;
  sandbox = undefined;
  dir.remove();
});

async function unlockedDemoCore() {
  dir = tempDir();
  core = await createCoreWithParts({ connectPlatform, dataDir: dir.path, env: {}, secretCodec: plainCodec, heartbeatMs: 200 });
  const grant = await dispatch(core.routes, 'supervisor.pin.set', { pin: '864200' });
  const session = grant.ok ? (grant.value as { token: string }).token : '';
  return <C extends Channel>(channel: C, input: Record<string, unknown> = {}) =>
    dispatch(core!.routes, channel, { session, ...input }) as Promise<Result<Output<C>>>;
}

describe('supervisor settings', () => {
  it('refuses bad values field by field and leaves the running settings alone', async () => {
    const call = await unlockedDemoCore();
    const result = await call('supervisor.settings.save', {
      settings: { windowName: '  ', poiId: 'abc', baseUrl: 'ftp://x', language: 'fr' },
      credentials: { clientKey: 'a b', tokenServiceUrl: 'http://example.com/token' },
    });
    expect(result.ok && result.value).toMatchObject({ saved: false });
    const fields = result.ok && !result.value.saved ? result.value.problems.map((p) => p.field).sort() : [];
    expect(fields).toEqual(['baseUrl', 'clientKey', 'clientSecret', 'language', 'poiId', 'tokenServiceUrl', 'windowName']);
    expect(core!.settings.get()).toMatchObject({ windowName: '1号窗口', language: 'zh-CN' });
    expect(core!.settings.get().poiId).toBeUndefined();

    const lonely = await call('supervisor.settings.save', { settings: {}, credentials: { clientKey: 'awkey1234' } });
    expect(lonely.ok && lonely.value).toMatchObject({ saved: false, problems: [{ field: 'clientSecret', rule: 'required' }] });
    expect((await call('supervisor.settings.save', { settings: { sneaky: 1 }, credentials: {} })).ok).toBe(false);
  });

  it('saves settings, keeps secrets write-only, and reconnects to the new platform without a restart', async () => {
    const call = await unlockedDemoCore();
    expect(core!.platform.mode).toBe('demo');
    sandbox = await startSandbox({ orders: todaysOrders(3) });
    const saved = await call('supervisor.settings.save', {
      settings: { windowName: '西门3号', poiId: '7000000000000000001', baseUrl: sandbox.url, sound: false, staffName: '王五' },
      credentials: { clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET },
    });
    expect(saved.ok && saved.value).toMatchObject({ saved: true, reconnected: true });
    expect(core!.platform.mode).toBe('live');
    expect(core!.status().mode).toBe('live');

    const view = await call('supervisor.settings');
    const text = JSON.stringify(view);
    expect(text).not.toContain(SANDBOX_CLIENT_SECRET);
    expect(text).not.toContain(SANDBOX_CLIENT_KEY);
    expect(view.ok && view.value).toMatchObject({
      settings: { windowName: '西门3号', staffName: '王五', sound: false, baseUrl: sandbox.url },
      credentials: { clientKey: { configured: true, last4: SANDBOX_CLIENT_KEY.slice(-4) }, clientSecret: { configured: true } },
    });
    // The secrets went to the sealed store, not to the settings table.
    expect(JSON.stringify(core!.db.prepare('SELECT * FROM settings').all())).not.toContain(SANDBOX_CLIENT_SECRET);
    expect(readFileSync(join(dir.path, 'secrets.sealed'), 'utf8')).toContain(SANDBOX_CLIENT_SECRET);

    // The worker now talks to the new platform: a scan of one of its orders is verified there.
    const answer = (await dispatch(core!.routes, 'scan.submit', { raw: '9000000000000000000', source: 'keyboard' })) as Result<
      Output<'scan.submit'>
    >;
    expect(answer.ok && answer.value.verdict).toBe('verified');
    await until(() => sandbox!.ledger().length === 1, 5000, 'sandbox ledger');

    const audit = await call('supervisor.audit', { limit: 5 });
    const detail = audit.ok ? audit.value.map((e) => e.detail).join('\n') : '';
    expect(detail).toContain('clientSecret:set');
    expect(detail).not.toContain(SANDBOX_CLIENT_SECRET);
  });
});
