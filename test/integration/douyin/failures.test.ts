import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTripVerifyClient, type TransientReason } from '../../../electron/core/douyin';
import type { Fault } from '../../../electron/sandbox';
import { fixedToken, startRig, startStub, type Rig } from './harness';

const WHOLE = '8000004478714899970';
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('seed error codes over HTTP', () => {
  it.each([
    [2100001, 'transient'],
    [2100004, 'transient'],
    [2119002, 'transient'],
    [2119003, 'rate_limited'],
    [2100005, 'invalid_request'],
    [2119001, 'invalid_request'],
    [2190004, 'configuration'],
    [2119005, 'configuration'],
    [3000001, 'rejected'],
    [3000007, 'rejected'],
    [4000001, 'rejected'],
    [4000002, 'rejected'],
    [5000001, 'rejected'],
  ])('%i → %s, and nothing is verified', async (code, kind) => {
    rig = await startRig();
    rig.sandbox.failNext(1, code, '注入错误');
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt' });
    expect(outcome).toMatchObject({ kind, errorCode: code, httpStatus: 200 });
    expect(outcome.logid).toBeTruthy();
    expect(rig.sandbox.ledger()).toHaveLength(0);
  });

  it('answers 2119003 beyond the configured rate', async () => {
    rig = await startRig();
    rig.sandbox.setRateLimit(2);
    const kinds = [];
    for (let i = 0; i < 3; i++) kinds.push((await rig.client.verify({ order_id: WHOLE, verify_token: `vt-${i}` })).kind);
    expect(kinds).toEqual(['verified', 'verified', 'rate_limited']);
  });
});

describe('token errors', () => {
  it.each([2190002, 2190008])('retries %i once with a fresh token and the same verify_token', async (code) => {
    rig = await startRig();
    rig.sandbox.failNext(1, code);
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-retry' });
    expect(outcome).toMatchObject({ kind: 'verified', alreadyVerified: false });
    expect(rig.sandbox.counts()).toMatchObject({ tokenCalls: 2, verifyRequests: 2 });
    expect(rig.sandbox.ledger()).toEqual([expect.objectContaining({ verify_token: 'vt-retry' })]);
  });

  it('gives up after one retry', async () => {
    rig = await startRig();
    rig.sandbox.failNext(3, 2190008);
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-retry' });
    expect(outcome).toMatchObject({ kind: 'token', errorCode: 2190008 });
    expect(rig.sandbox.counts()).toMatchObject({ tokenCalls: 2, verifyRequests: 2 });
  });

  it('recovers when the sandbox really expires the token', async () => {
    rig = await startRig();
    await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-1' });
    rig.clock.advance(7200 * 1000); // sandbox clock only: the client still thinks its token is fresh
    const outcome = await rig.client.verify({ order_id: '8000004478714899971', verify_token: 'vt-2' });
    expect(outcome.kind).toBe('verified');
    expect(rig.sandbox.counts().tokenCalls).toBe(2);
  });
});

describe('transport failures', () => {
  const cases: [string, Fault, TransientReason, boolean, number | undefined][] = [
    ['HTTP 502', { kind: 'http_status', status: 502 }, 'http_status', true, 502],
    ['HTTP 504', { kind: 'http_status', status: 504 }, 'http_status', true, 504],
    ['a non-JSON body', { kind: 'non_json' }, 'bad_body', true, 200],
    ['a truncated JSON body', { kind: 'truncated_json' }, 'bad_body', true, 200],
    ['a connection dropped mid-body', { kind: 'drop_mid_body' }, 'truncated_body', true, 200],
    ['a reset before any answer', { kind: 'drop_before_answer', afterProcessing: false }, 'reset', false, undefined],
  ];

  it.each(cases)('%s is transient', async (_name, fault, reason, reachedDouyin, httpStatus) => {
    rig = await startRig();
    rig.sandbox.injectFault(fault, 1);
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-t' });
    expect(outcome).toMatchObject({ kind: 'transient', reason, reachedDouyin });
    expect(outcome.httpStatus).toBe(httpStatus);
  });

  it('a lost answer is safe to retry with the same verify_token: verified exactly once', async () => {
    rig = await startRig();
    rig.sandbox.injectFault({ kind: 'drop_before_answer', afterProcessing: true }, 1);
    const lost = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-lost' });
    expect(lost).toMatchObject({ kind: 'transient', reachedDouyin: false });
    expect(rig.sandbox.verificationsOf(WHOLE)).toBe(1); // it did happen

    const retry = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-lost' });
    expect(retry).toMatchObject({ kind: 'verified', alreadyVerified: false });
    expect(rig.sandbox.verificationsOf(WHOLE)).toBe(1);
  });

  it('times out a slow answer within the configured limit', async () => {
    rig = await startRig({ timeoutMs: 300 });
    await rig.client.verify({ order_id: '8000004478714899971', verify_token: 'warm-up' }); // token fetched
    rig.sandbox.setLatency(900);
    const started = Date.now();
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-slow' });
    expect(outcome).toMatchObject({ kind: 'transient', reason: 'timeout', reachedDouyin: false });
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('reports a caller abort as such', async () => {
    rig = await startRig();
    await rig.client.verify({ order_id: '8000004478714899971', verify_token: 'warm-up' });
    rig.sandbox.setLatency(500);
    const outcome = await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-abort' }, { signal: AbortSignal.timeout(50) });
    expect(outcome).toMatchObject({ kind: 'transient', reason: 'aborted' });
  });

  it('offline: every connection is destroyed, and it comes back', async () => {
    rig = await startRig();
    await rig.client.verify({ order_id: '8000004478714899971', verify_token: 'warm-up' });
    rig.sandbox.setOffline(true);
    expect(await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-off' })).toMatchObject({
      kind: 'transient',
      reason: 'reset',
      reachedDouyin: false,
    });
    rig.sandbox.setOffline(false);
    expect((await rig.client.verify({ order_id: WHOLE, verify_token: 'vt-off' })).kind).toBe('verified');
  });

  it('a DNS failure never reached Douyin', async () => {
    const client = createTripVerifyClient({ baseUrl: 'http://open.douyin.invalid', tokenSource: fixedToken() });
    try {
      expect(await client.verify({ order_id: WHOLE, verify_token: 'vt' })).toMatchObject({
        kind: 'transient',
        reason: 'dns',
        reachedDouyin: false,
      });
    } finally {
      await client.close();
    }
  });

  it('a refused connection never reached Douyin', async () => {
    // Grab a free port, then close it so nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const client = createTripVerifyClient({ baseUrl: `http://127.0.0.1:${port}`, tokenSource: fixedToken() });
    try {
      expect(await client.verify({ order_id: WHOLE, verify_token: 'vt' })).toMatchObject({
        kind: 'transient',
        reason: 'connect_refused',
        reachedDouyin: false,
      });
    } finally {
      await client.close();
    }
  });

  it('a body that stalls after the headers times out as reached', async () => {
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"data":');
    });
    const client = createTripVerifyClient({ baseUrl: stub.url, tokenSource: fixedToken(), timeoutMs: 300 });
    try {
      expect(await client.verify({ order_id: WHOLE, verify_token: 'vt' })).toMatchObject({
        kind: 'transient',
        reason: 'timeout',
        reachedDouyin: true,
        httpStatus: 200,
      });
    } finally {
      await client.close();
      await stub.close();
    }
  });

  it('a token source that cannot produce a token sends nothing', async () => {
    const stub = await startStub((_req, res) => res.end());
    const client = createTripVerifyClient({
      baseUrl: stub.url,
      tokenSource: { get: () => Promise.reject(new Error('token service down')), invalidate: () => undefined },
    });
    try {
      expect(await client.verify({ order_id: WHOLE, verify_token: 'vt' })).toMatchObject({
        kind: 'transient',
        reason: 'token_unavailable',
        reachedDouyin: false,
      });
      expect(stub.requests).toHaveLength(0);
    } finally {
      await client.close();
      await stub.close();
    }
  });
});
