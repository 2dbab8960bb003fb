import { Agent, request } from 'undici';
import type { HttpAnswer } from './classify-answer';
import { joinUrl } from './join-url';
import type { FailureOutcome } from './outcome';
import { TOKEN_RATE_LIMIT_ERROR_CODE, TokenSourceError, type TokenSource } from './token-source';
import { classifyTransportFailure } from './transport-failure';

export interface OpenApiCallerOptions {
  /** e.g. https://open.douyin.com or the sandbox URL. */
  baseUrl: string;
  tokenSource: TokenSource;
  /** Overall limit per HTTP attempt, connect to last body byte. Default 10 s. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface OpenApiRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Already URL-encoded by URLSearchParams: Douyin wants encrypted values encoded, no spaces. */
  query?: URLSearchParams;
  /** JSON text, serialised once so a token retry resends the very same bytes. */
  body?: string;
}

export interface OpenApiCaller {
  /**
   * Never throws. One retry with a fresh token on 2190002/2190008 (most often another machine
   * fetched a newer token); a second token error is reported, not looped on.
   */
  call<O extends { kind: string }>(
    req: OpenApiRequest,
    classify: (answer: HttpAnswer) => O,
    signal?: AbortSignal,
  ): Promise<O | FailureOutcome>;
  close(): Promise<void>;
}

/** The one way the window talks to Douyin's OpenAPI: pooled undici, access-token header, time limits. */
export function createOpenApiCaller(options: OpenApiCallerOptions): OpenApiCaller {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new Agent({
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
    connections: 4,
  });

  async function send<O>(
    req: OpenApiRequest,
    token: string,
    classify: (answer: HttpAnswer) => O,
    callerSignal?: AbortSignal,
  ): Promise<O | FailureOutcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const query = req.query?.toString();
    const url = joinUrl(options.baseUrl, req.path) + (query ? `?${query}` : '');
    let answered = false;
    let httpStatus: number | undefined;
    try {
      const answer = await request(url, {
        dispatcher: agent,
        method: req.method,
        headers: { 'access-token': token, 'content-type': 'application/json' },
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal,
      });
      answered = true;
      httpStatus = answer.statusCode;
      return classify({ status: answer.statusCode, body: await answer.body.text() });
    } catch (error) {
      return classifyTransportFailure(error, {
        answered,
        httpStatus,
        timedOut: timeout.aborted,
        callerAborted: callerSignal?.aborted ?? false,
      });
    }
  }

  async function attempt<O>(
    req: OpenApiRequest,
    classify: (answer: HttpAnswer) => O,
    signal?: AbortSignal,
  ): Promise<{ outcome: O | FailureOutcome; token?: string }> {
    let token: string;
    try {
      token = await options.tokenSource.get();
    } catch (error) {
      return { outcome: tokenFailureOutcome(error) };
    }
    return { outcome: await send(req, token, classify, signal), token };
  }

  return {
    async call(req, classify, signal) {
      const first = await attempt(req, classify, signal);
      if (first.outcome.kind !== 'token' || !first.token) return first.outcome;
      options.tokenSource.invalidate(first.token);
      return (await attempt(req, classify, signal)).outcome;
    },
    async close() {
      await agent.close();
    },
  };
}

/** No token means nothing was sent; why decides whether waiting or a person fixes it. */
function tokenFailureOutcome(error: unknown): FailureOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TokenSourceError && error.reason === 'rejected') {
    const errorCode = error.details.errorCode;
    if (errorCode === TOKEN_RATE_LIMIT_ERROR_CODE) return { kind: 'rate_limited', errorCode, description: message };
    return { kind: 'configuration', ...(errorCode !== undefined ? { errorCode } : {}), description: message };
  }
  return { kind: 'transient', reason: 'token_unavailable', reachedDouyin: false, message };
}
