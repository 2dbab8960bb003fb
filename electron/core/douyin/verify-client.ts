import { Agent, request } from 'undici';
import { classifyVerifyAnswer } from './classify-answer';
import { stringifyWithInt64 } from './int64-json';
import type { VerifyOutcome } from './outcome';
import { joinUrl } from './join-url';
import { tripVerifyRequestSchema, type TripVerifyRequest } from './schemas';
import { TOKEN_RATE_LIMIT_ERROR_CODE, TokenSourceError, type TokenSource } from './token-source';
import { classifyTransportFailure } from './transport-failure';

export const TRIP_VERIFY_PATH = '/goodlife/v1/trip/certificate/verify/';

export interface TripVerifyClientOptions {
  /** e.g. https://open.douyin.com or the sandbox URL. */
  baseUrl: string;
  tokenSource: TokenSource;
  /** Overall limit per HTTP attempt, connect to last body byte. Default 10 s. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface TripVerifyClient {
  /** Never throws: every failure is a VerifyOutcome. */
  verify(req: TripVerifyRequest, opts?: { signal?: AbortSignal }): Promise<VerifyOutcome>;
  close(): Promise<void>;
}

export function createTripVerifyClient(options: TripVerifyClientOptions): TripVerifyClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = joinUrl(options.baseUrl, TRIP_VERIFY_PATH);
  const agent = new Agent({
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
    connections: 4,
  });

  async function post(body: string, token: string, callerSignal?: AbortSignal): Promise<VerifyOutcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let answered = false;
    let httpStatus: number | undefined;
    try {
      const answer = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'access-token': token, 'content-type': 'application/json' },
        body,
        signal,
      });
      answered = true;
      httpStatus = answer.statusCode;
      return classifyVerifyAnswer({ status: answer.statusCode, body: await answer.body.text() });
    } catch (error) {
      return classifyTransportFailure(error, {
        answered,
        httpStatus,
        timedOut: timeout.aborted,
        callerAborted: callerSignal?.aborted ?? false,
      });
    }
  }

  async function attempt(body: string, signal?: AbortSignal): Promise<{ outcome: VerifyOutcome; token?: string }> {
    let token: string;
    try {
      token = await options.tokenSource.get();
    } catch (error) {
      return { outcome: tokenFailureOutcome(error) };
    }
    return { outcome: await post(body, token, signal), token };
  }

  return {
    async verify(req, opts = {}) {
      const checked = tripVerifyRequestSchema.safeParse(req);
      if (!checked.success) {
        return { kind: 'invalid_request', description: `request rejected before sending: ${checked.error.message}` };
      }
      // Serialised once so the token retry resends the very same bytes (same verify_token).
      const body = stringifyWithInt64(checked.data);
      const first = await attempt(body, opts.signal);
      if (first.outcome.kind !== 'token' || !first.token) return first.outcome;
      // 2190002/2190008: most often another machine fetched a newer token. One retry with a
      // fresh token; a second token error is reported, not looped on.
      options.tokenSource.invalidate(first.token);
      return (await attempt(body, opts.signal)).outcome;
    },
    async close() {
      await agent.close();
    },
  };
}

/** No token means nothing was sent; why decides whether waiting or a person fixes it. */
function tokenFailureOutcome(error: unknown): VerifyOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TokenSourceError && error.reason === 'rejected') {
    const errorCode = error.details.errorCode;
    if (errorCode === TOKEN_RATE_LIMIT_ERROR_CODE) return { kind: 'rate_limited', errorCode, description: message };
    return { kind: 'configuration', ...(errorCode !== undefined ? { errorCode } : {}), description: message };
  }
  return { kind: 'transient', reason: 'token_unavailable', reachedDouyin: false, message };
}
