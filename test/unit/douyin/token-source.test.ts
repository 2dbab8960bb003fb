import { describe, expect, it } from 'vitest';
import { createCachingTokenSource, type FetchedToken } from '../../../electron/core/douyin/token-source';

/** A fake token endpoint: counts fetches, resolves when told to. */
function fakeEndpoint(now: () => number, lifetimeMs = 7_200_000) {
  let fetches = 0;
  const pending: ((t: FetchedToken) => void)[] = [];
  return {
    get fetches() {
      return fetches;
    },
    fetchNow: async (): Promise<FetchedToken> => {
      fetches += 1;
      return { token: `t${fetches}`, expiresAtMs: now() + lifetimeMs };
    },
    fetchManually: () =>
      new Promise<FetchedToken>((resolve) => {
        fetches += 1;
        pending.push(resolve);
      }),
    release: () => {
      for (const resolve of pending.splice(0)) resolve({ token: `t${fetches}`, expiresAtMs: now() + lifetimeMs });
    },
  };
}

describe('createCachingTokenSource', () => {
  it('fetches once and serves the cached token until the refresh window', async () => {
    let t = 0;
    const endpoint = fakeEndpoint(() => t);
    const source = createCachingTokenSource(endpoint.fetchNow, { now: () => t, minFetchIntervalMs: 0 });
    expect(await source.get()).toBe('t1');
    t = 7_200_000 - 10 * 60_000 - 1; // just outside the 10-minute window
    expect(await source.get()).toBe('t1');
    expect(endpoint.fetches).toBe(1);
  });

  it('shares one fetch between concurrent callers', async () => {
    const endpoint = fakeEndpoint(() => 0);
    const source = createCachingTokenSource(endpoint.fetchManually, { now: () => 0 });
    const all = Promise.all(Array.from({ length: 20 }, () => source.get()));
    await Promise.resolve();
    endpoint.release();
    expect(new Set(await all)).toEqual(new Set(['t1']));
    expect(endpoint.fetches).toBe(1);
  });

  it('refreshes ahead of expiry in the background, serving the old token meanwhile', async () => {
    let t = 0;
    const endpoint = fakeEndpoint(() => t);
    const source = createCachingTokenSource(endpoint.fetchManually, { now: () => t, minFetchIntervalMs: 0 });
    const first = source.get();
    endpoint.release();
    expect(await first).toBe('t1');

    t = 7_200_000 - 5 * 60_000; // 5 minutes left
    expect(await source.get()).toBe('t1'); // not blocked on the refresh
    expect(await source.get()).toBe('t1');
    expect(endpoint.fetches).toBe(2); // one background refresh, not one per call
    endpoint.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await source.get()).toBe('t2');
  });

  it('fetches a new token once the cached one has expired', async () => {
    let t = 0;
    const endpoint = fakeEndpoint(() => t, 1000);
    const source = createCachingTokenSource(endpoint.fetchNow, { now: () => t, minFetchIntervalMs: 0, refreshAheadMs: 0 });
    await source.get();
    t = 1000;
    expect(await source.get()).toBe('t2');
  });

  it('invalidate drops only the token it names', async () => {
    const endpoint = fakeEndpoint(() => 0);
    const source = createCachingTokenSource(endpoint.fetchNow, { now: () => 0, minFetchIntervalMs: 0 });
    await source.get();
    source.invalidate('someone-elses-token');
    expect(await source.get()).toBe('t1');
    source.invalidate('t1');
    expect(await source.get()).toBe('t2');
    expect(endpoint.fetches).toBe(2);
  });

  it('keeps a minimum interval between fetches even when invalidated in a loop', async () => {
    const endpoint = fakeEndpoint(Date.now);
    const starts: number[] = [];
    const source = createCachingTokenSource(
      async () => {
        starts.push(Date.now());
        return endpoint.fetchNow();
      },
      { minFetchIntervalMs: 150 },
    );
    for (let i = 0; i < 3; i++) source.invalidate(await source.get());
    await source.get();
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(145);
  });

  it('passes a failed fetch to every waiting caller and tries again on the next get', async () => {
    let calls = 0;
    const source = createCachingTokenSource(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('down');
        return { token: 'ok', expiresAtMs: Date.now() + 7_200_000 };
      },
      { minFetchIntervalMs: 0 },
    );
    const results = await Promise.allSettled([source.get(), source.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await source.get()).toBe('ok');
    expect(calls).toBe(2);
  });
});
