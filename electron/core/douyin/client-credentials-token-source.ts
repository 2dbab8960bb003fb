import { joinUrl } from './join-url';
import { clientTokenAnswerSchema } from './schemas';
import { callTokenEndpoint, createTokenAgent, type TokenHttpOptions } from './token-http';
import { createCachingTokenSource, TokenSourceError, type TokenCacheOptions, type TokenSource } from './token-source';

export interface ClientCredentialsTokenSourceOptions extends TokenCacheOptions, TokenHttpOptions {
  baseUrl: string;
  clientKey: string;
  clientSecret: string;
}

/**
 * Fetches client_tokens straight from Douyin. Only right for a single machine per client_key:
 * each fetch starts the 5-minute countdown on every other machine's token.
 */
export function createClientCredentialsTokenSource(options: ClientCredentialsTokenSourceOptions): TokenSource {
  const agent = createTokenAgent(options);
  const now = options.now ?? Date.now;
  const url = joinUrl(options.baseUrl, '/oauth/client_token/');

  return createCachingTokenSource(
    async () => {
      const answer = await callTokenEndpoint(
        agent,
        url,
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
    },
    { ...options, close: () => void agent.close() },
  );
}
