import type { Agent } from 'undici';
import { joinUrl } from './join-url';
import { clientTokenAnswerSchema } from './schemas';
import { callTokenEndpoint, createTokenAgent, type TokenHttpOptions } from './token-http';
import {
  createCachingTokenSource,
  TokenSourceError,
  type FetchedToken,
  type TokenCacheOptions,
  type TokenSource,
} from './token-source';

export interface ClientCredentialsTokenSourceOptions extends TokenCacheOptions, TokenHttpOptions {
  baseUrl: string;
  clientKey: string;
  clientSecret: string;
}

/** One client_token call to Douyin; also the site hub's single fetch for all its windows. */
export async function fetchClientToken(
  agent: Agent,
  options: ClientCredentialsTokenSourceOptions,
  now: () => number = Date.now,
): Promise<FetchedToken> {
  const answer = await callTokenEndpoint(
    agent,
    joinUrl(options.baseUrl, '/oauth/client_token/'),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_key: options.clientKey,
        client_secret: options.clientSecret,
        grant_type: 'client_credential',
      }),
    },
    clientTokenAnswerSchema,
    options.timeoutMs,
  );
  const { access_token, expires_in, error_code, description } = answer.data;
  if (error_code !== 0) {
    throw new TokenSourceError('rejected', `client_token refused: ${error_code} ${description ?? ''}`.trim(), {
      errorCode: error_code,
    });
  }
  if (!access_token || !expires_in) {
    throw new TokenSourceError('bad_answer', 'client_token answer lacks access_token or expires_in');
  }
  return { token: access_token, expiresAtMs: now() + expires_in * 1000 };
}

/**
 * Fetches client_tokens straight from Douyin. Only right for a single machine per client_key:
 * each fetch starts the 5-minute countdown on every other machine's token.
 */
export function createClientCredentialsTokenSource(options: ClientCredentialsTokenSourceOptions): TokenSource {
  const agent = createTokenAgent(options);
  return createCachingTokenSource(() => fetchClientToken(agent, options, options.now), {
    ...options,
    close: () => void agent.close(),
  });
}
