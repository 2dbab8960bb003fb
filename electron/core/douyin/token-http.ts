import { Agent, request } from 'undici';
import type { z } from 'zod';
import { TokenSourceError } from './token-source';

export interface TokenHttpOptions {
  /** Overall limit for one token call. Default 10 s. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

/** A keep-alive agent for token calls; the caller closes it with the token source. */
export function createTokenAgent(options: TokenHttpOptions): Agent {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Agent({
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
}

/** One JSON call to a token endpoint; every failure becomes a TokenSourceError. */
export async function callTokenEndpoint<S extends z.ZodType>(
  agent: Agent,
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  schema: S,
  timeoutMs = 10_000,
): Promise<z.infer<S>> {
  let status: number;
  let text: string;
  try {
    const answer = await request(url, {
      dispatcher: agent,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = answer.statusCode;
    text = await answer.body.text();
  } catch (cause) {
    throw new TokenSourceError('transport', `token endpoint unreachable: ${String(cause)}`, { cause });
  }
  if (status < 200 || status >= 300) {
    throw new TokenSourceError('bad_answer', `token endpoint answered HTTP ${status}`, { httpStatus: status });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TokenSourceError('bad_answer', 'token endpoint answered non-JSON', { httpStatus: status, cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TokenSourceError('bad_answer', `unexpected token answer: ${parsed.error.message}`, {
      httpStatus: status,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
