/**
 * Access-token caching shared by every token source.
 *
 * Douyin invalidates a client_token 5 minutes after a newer one is issued and answers 10020
 * beyond 500 token calls in 5 minutes, so fetching must be rare and never concurrent: one
 * cached token, refreshed ahead of expiry in the background, single-flight fetches, and a
 * minimum gap between fetches even when callers keep invalidating.
 */

export interface TokenSource {
  get(): Promise<string>;
  /** Drops the cached token, but only if it is still `token` (a newer one is kept). */
  invalidate(token: string): void;
  close?(): void;
}

export type TokenSourceErrorReason =
  /** The token endpoint could not be reached or did not answer in time. */
  | 'transport'
  /** It answered something that is not a token answer (HTTP error, non-JSON, wrong shape). */
  | 'bad_answer'
  /** It answered with an error code (bad credentials, 10020 rate limit…). */
  | 'rejected';

export class TokenSourceError extends Error {
  override readonly name = 'TokenSourceError';
  constructor(
    readonly reason: TokenSourceErrorReason,
    message: string,
    readonly details: { errorCode?: number; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** Douyin's "more than 500 token calls in 5 minutes". */
export const TOKEN_RATE_LIMIT_ERROR_CODE = 10020;

export interface FetchedToken {
  token: string;
  expiresAtMs: number;
}

export interface TokenCacheOptions {
  /** Refresh in the background once less than this is left. Default 10 minutes. */
  refreshAheadMs?: number;
  /** Never start two fetches closer than this. Default 2 s (≤150 calls per 5 min). */
  minFetchIntervalMs?: number;
  now?: () => number;
}

export function createCachingTokenSource(
  fetchToken: () => Promise<FetchedToken>,
  options: TokenCacheOptions & { close?: () => void } = {},
): TokenSource {
  const refreshAheadMs = options.refreshAheadMs ?? 10 * 60_000;
  const minFetchIntervalMs = options.minFetchIntervalMs ?? 2_000;
  const now = options.now ?? Date.now;

  let cached: FetchedToken | undefined;
  let inFlight: Promise<FetchedToken> | undefined;
  let lastFetchStartedAt = Number.NEGATIVE_INFINITY;

  function fetchOnce(): Promise<FetchedToken> {
    inFlight ??= (async () => {
      const wait = lastFetchStartedAt + minFetchIntervalMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastFetchStartedAt = now();
      const fetched = await fetchToken();
      cached = fetched;
      return fetched;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    async get() {
      const current = cached;
      const t = now();
      if (current && current.expiresAtMs > t) {
        const inRefreshWindow = current.expiresAtMs - t <= refreshAheadMs;
        const mayFetch = t - lastFetchStartedAt >= minFetchIntervalMs;
        // A failed background refresh is swallowed: the current token still works and a
        // later get() tries again.
        if (inRefreshWindow && mayFetch) fetchOnce().catch(() => undefined);
        return current.token;
      }
      return (await fetchOnce()).token;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    close: options.close,
  };
}
