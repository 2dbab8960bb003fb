import { afterEach, describe, expect, it } from 'vitest';
import {
  createClientCredentialsTokenSource,
  createTokenServiceTokenSource,
  createTripVerifyClient,
  TokenSourceError,
  type TokenSource,
} from '../../../electron/core/douyin';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, TOKEN_GRACE_MS } from '../../../electron/sandbox';
import { startRig, startStub, type Rig } from './harness';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function rigWithSource(overrides: { clientSecret?: string } = {}) {
  const rig: Rig = await startRig();
  const source = createClientCredentialsTokenSource({
    baseUrl: rig.sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: overrides.clientSecret ?? SANDBOX_CLIENT_SECRET,
    minFetchIntervalMs: 0,
  });
  cleanups.push(
    () => source.close?.(),
    () => rig.close(),
  );
  return { rig, source };
}

function clientFor(rig: Rig, tokenSource: TokenSource) {
  const client = createTripVerifyClient({ baseUrl: rig.sandbox.url, tokenSource });
  cleanups.push(() => client.close());
  return client;
}

describe('client_token source against the sandbox', () => {
  it('shares one HTTP fetch between 20 concurrent callers', async () => {
    const { rig, source } = await rigWithSource();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.get()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^clt\./);
    expect(rig.sandbox.counts().tokenCalls).toBe(1);
  });

  it('turns wrong credentials into a typed error and a configuration outcome', async () => {
    const { rig, source } = await rigWithSource({ clientSecret: 'wrong' });
    const error = await source.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenSourceError);
    expect(error).toMatchObject({ reason: 'rejected', details: { errorCode: 10003 } });
    const outcome = await clientFor(rig, source).verify({ order_id: '8000004478714899970', verify_token: 'vt' });
    expect(outcome).toMatchObject({ kind: 'configuration', errorCode: 10003 });
    expect(rig.sandbox.counts().verifyRequests).toBe(0);
  });

  it('a second machine fetching its own token knocks ours out after 5 minutes; one retry recovers', async () => {
    const { rig, source: ours } = await rigWithSource();
    const client = clientFor(rig, ours);
    expect((await client.verify({ order_id: '8000004478714899970', verify_token: 'vt-1' })).kind).toBe('verified');

    const theirs = await rigWithSourceOn(rig);
    await theirs.get();
    rig.clock.advance(TOKEN_GRACE_MS - 1000);
    await theirs.get(); // their cache holds, no new fetch: still two tokens issued
    expect(rig.sandbox.counts().tokenCalls).toBe(2);
    expect((await client.verify({ order_id: '8000004478714899971', verify_token: 'vt-2' })).kind).toBe('verified');

    theirs.invalidate(await theirs.get());
    await theirs.get(); // a third token: ours is now the third newest
    const outcome = await client.verify({ order_id: '1003051470049948030', verify_token: 'vt-3' });
    expect(outcome.kind).toBe('verified');
    expect(rig.sandbox.counts()).toMatchObject({ tokenCalls: 4, verifyRequests: 4, verifications: 3 });
  });
});

async function rigWithSourceOn(rig: Rig): Promise<TokenSource> {
  const source = createClientCredentialsTokenSource({
    baseUrl: rig.sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: SANDBOX_CLIENT_SECRET,
    minFetchIntervalMs: 0,
  });
  cleanups.push(() => source.close?.());
  return source;
}

describe('provider token service source', () => {
  it('reads {access_token, expires_at} once and caches it', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'clt.fleet', expires_at: expiresAt }));
    });
    const source = createTokenServiceTokenSource({ url: `${stub.url}/token`, headers: { authorization: 'Bearer x' } });
    cleanups.push(() => source.close?.(), stub.close);
    expect(await Promise.all([source.get(), source.get()])).toEqual(['clt.fleet', 'clt.fleet']);
    expect(await source.get()).toBe('clt.fleet');
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({ method: 'GET', url: '/token', headers: { authorization: 'Bearer x' } });
  });

  it.each([
    ['a wrong shape', 200, '{"token":"x"}'],
    ['non-JSON', 200, '<html></html>'],
    ['HTTP 503', 503, '{}'],
  ])('rejects %s with a bad_answer TokenSourceError', async (_name, status, body) => {
    const stub = await startStub((_req, res) => {
      res.writeHead(status);
      res.end(body);
    });
    const source = createTokenServiceTokenSource({ url: stub.url });
    cleanups.push(() => source.close?.(), stub.close);
    await expect(source.get()).rejects.toMatchObject({ name: 'TokenSourceError', reason: 'bad_answer' });
  });

  it('an unreachable service is a transport TokenSourceError', async () => {
    const source = createTokenServiceTokenSource({ url: 'http://tokens.invalid/token' });
    cleanups.push(() => source.close?.());
    await expect(source.get()).rejects.toMatchObject({ reason: 'transport' });
  });
});
