import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox, type Sandbox } from '../../../electron/sandbox';
import type { Channel, Output } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { sandboxEnv, todaysOrders, until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

/**
 * A second local server that a supervisor with bad intentions (or a typo) points the base URL
 * at. It answers like Douyin's token endpoint would, and remembers everything it was sent.
 */
async function startAttacker(): Promise<{ url: string; received: () => string; requests: () => number; close(): Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          data: { access_token: 'stolen-token', expires_in: 7200, error_code: 0, description: '' },
          message: 'success',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => seen.join('\n'),
    requests: () => seen.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let dir: ReturnType<typeof tempDir> | undefined;
let core: CoreWithParts | undefined;
let sandbox: Sandbox | undefined;
let attacker: Awaited<ReturnType<typeof startAttacker>> | undefined;
afterEach(async () => {
  await core?.close();
  await sandbox?.close();
  await attacker?.close();
  dir?.remove();
  core = sandbox = attacker = dir = undefined;
});

async function open(env: NodeJS.ProcessEnv): Promise<CoreWithParts> {
  dir ??= tempDir();
  core = await createCoreWithParts({ dataDir: dir.path, env, secretCodec: plainCodec, connectPlatform, heartbeatMs: 200 });
  core.settings.update({ answerBudgetMs: 1000 });
  return core;
}

async function supervisor(c: CoreWithParts) {
  const grant = await dispatch(c.routes, 'supervisor.pin.set', { pin: '864200' });
  const session = grant.ok ? (grant.value as { token: string }).token : '';
  return <C extends Channel>(channel: C, input: Record<string, unknown> = {}) =>
    dispatch(c.routes, channel, { session, ...input }) as Promise<Result<Output<C>>>;
}

const scan = (c: CoreWithParts, raw: string) =>
  dispatch(c.routes, 'scan.submit', { raw, source: 'keyboard' }) as Promise<Result<Output<'scan.submit'>>>;

/** Scans, then gives the worker a moment to try the new base URL the way it would for real. */
async function scanAndSettle(c: CoreWithParts, raw: string): Promise<void> {
  await scan(c, raw);
  await until(() => (attacker?.requests() ?? 0) > 0, 1500, 'a request to the new base URL').catch(() => undefined);
}

describe('the client secret and the base URL', () => {
  it('a secret entered in settings never goes to a base URL on another host; the screen asks for it again', async () => {
    sandbox = await startSandbox({ orders: todaysOrders(3) });
    attacker = await startAttacker();
    const c = await open({});
    const call = await supervisor(c);
    await call('supervisor.settings.save', {
      settings: { baseUrl: sandbox.url },
      credentials: { clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET },
    });
    expect((await scan(c, '9000000000000000000')).ok).toBe(true);
    await until(() => sandbox!.verificationsOf('9000000000000000000') === 1, 5000, 'the real platform verifies');

    const moved = await call('supervisor.settings.save', { settings: { baseUrl: attacker.url }, credentials: {} });
    expect(moved.ok && moved.value.saved).toBe(true);
    await scanAndSettle(c, '9000000000000000001');
    expect(attacker.received()).not.toContain(SANDBOX_CLIENT_SECRET);

    const view = await call('supervisor.settings');
    expect(view.ok && view.value).toMatchObject({
      credentials: { clientKey: { configured: true }, clientSecret: { configured: false } },
      secretNeeded: true,
    });
    const audit = await call('supervisor.audit', { limit: 5 });
    expect(audit.ok ? audit.value.map((e) => e.detail).join('\n') : '').toContain('clientSecret:cleared');

    // Typed again for the new host, it is the supervisor's choice: it is bound there from now on.
    await call('supervisor.settings.save', {
      settings: { baseUrl: sandbox.url },
      credentials: { clientSecret: SANDBOX_CLIENT_SECRET },
    });
    expect(c.status().mode).toBe('live');
    const again = await call('supervisor.settings');
    expect(again.ok && again.value).toMatchObject({ credentials: { clientSecret: { configured: true } }, secretNeeded: false });
  });

  it('a secret from the environment goes only to the environment base URL', async () => {
    sandbox = await startSandbox({ orders: todaysOrders(3) });
    attacker = await startAttacker();
    const c = await open(sandboxEnv(sandbox));
    expect(c.status().mode).toBe('live');
    const call = await supervisor(c);
    await call('supervisor.settings.save', { settings: { baseUrl: attacker.url }, credentials: {} });
    await scanAndSettle(c, '9000000000000000002');
    expect(attacker.received()).not.toContain(SANDBOX_CLIENT_SECRET);
    const view = await call('supervisor.settings');
    expect(view.ok && view.value.secretNeeded).toBe(true);

    // Back to the environment's own host, the environment's secret works again.
    await call('supervisor.settings.save', { settings: { baseUrl: '' }, credentials: {} });
    expect(c.status().mode).toBe('live');
    expect((await scan(c, '9000000000000000001')).ok).toBe(true);
    await until(() => sandbox!.verificationsOf('9000000000000000001') === 1, 5000, 'verified at the environment host');
  });

  it('a secret stored before secrets knew their host stays with the base URL it was used with', async () => {
    sandbox = await startSandbox({ orders: todaysOrders(3) });
    attacker = await startAttacker();
    const first = await open({});
    first.settings.update({ baseUrl: sandbox.url });
    await first.close();
    core = undefined;
    // As an older version wrote it: key and secret, no host.
    writeFileSync(
      join(dir!.path, 'secrets.sealed'),
      JSON.stringify({ clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET }),
    );

    const c = await open({});
    expect(c.status().mode).toBe('live');
    const call = await supervisor(c);
    await call('supervisor.settings.save', { settings: { baseUrl: attacker.url }, credentials: {} });
    await scanAndSettle(c, '9000000000000000000');
    expect(attacker.received()).not.toContain(SANDBOX_CLIENT_SECRET);
  });
});
