import { tokenServiceAnswerSchema } from './schemas';
import { callTokenEndpoint, createTokenAgent, type TokenHttpOptions } from './token-http';
import { createCachingTokenSource, type TokenCacheOptions, type TokenSource } from './token-source';

export interface TokenServiceTokenSourceOptions extends TokenCacheOptions, TokenHttpOptions {
  /** GET endpoint answering {access_token, expires_at (unix seconds)}. */
  url: string;
  /** e.g. an authorization header for the provider's service. */
  headers?: Record<string, string>;
}

/**
 * Reads the token from the provider's token service, the fleet-safe choice: one service owns
 * the client_key, so windows never knock each other's tokens out.
 */
export function createTokenServiceTokenSource(options: TokenServiceTokenSourceOptions): TokenSource {
  const agent = createTokenAgent(options);
  return createCachingTokenSource(
    async () => {
      const answer = await callTokenEndpoint(
        agent,
        options.url,
        { method: 'GET', headers: { accept: 'application/json', ...options.headers } },
        tokenServiceAnswerSchema,
        options.timeoutMs,
      );
      return { token: answer.access_token, expiresAtMs: answer.expires_at * 1000 };
    },
    { ...options, close: () => void agent.close() },
  );
}
