import { describe, expect, it } from 'vitest';
import { douyinConfigFromEnv } from '../../../electron/core/douyin/config';

describe('douyinConfigFromEnv', () => {
  it('defaults the base URL and needs no credentials', () => {
    expect(douyinConfigFromEnv({})).toEqual({ baseUrl: 'https://open.douyin.com', token: { kind: 'none' } });
    expect(douyinConfigFromEnv({ DOUYIN_OPEN_BASE_URL: '' }).baseUrl).toBe('https://open.douyin.com');
  });

  it('reads client credentials and the POI', () => {
    expect(
      douyinConfigFromEnv({
        DOUYIN_OPEN_BASE_URL: 'http://127.0.0.1:4000',
        DOUYIN_CLIENT_KEY: 'k',
        DOUYIN_CLIENT_SECRET: 's',
        DOUYIN_POI_ID: '7000000000000000001',
      }),
    ).toEqual({
      baseUrl: 'http://127.0.0.1:4000',
      poiId: '7000000000000000001',
      token: { kind: 'client_credentials', clientKey: 'k', clientSecret: 's' },
    });
  });

  it('prefers the fleet token service over client credentials', () => {
    const config = douyinConfigFromEnv({
      DOUYIN_CLIENT_KEY: 'k',
      DOUYIN_CLIENT_SECRET: 's',
      DOUYIN_TOKEN_SERVICE_URL: 'https://tokens.example.com/douyin',
    });
    expect(config.token).toEqual({ kind: 'token_service', url: 'https://tokens.example.com/douyin' });
  });

  it('accepts any https base URL and plain http only to this machine', () => {
    expect(douyinConfigFromEnv({ DOUYIN_OPEN_BASE_URL: 'https://open-sandbox.douyin.com' }).baseUrl).toBe(
      'https://open-sandbox.douyin.com',
    );
    expect(douyinConfigFromEnv({ DOUYIN_OPEN_BASE_URL: 'https://douyin-proxy.example.com/api' }).baseUrl).toBe(
      'https://douyin-proxy.example.com/api',
    );
    expect(douyinConfigFromEnv({ DOUYIN_OPEN_BASE_URL: 'http://localhost:4000' }).baseUrl).toBe('http://localhost:4000');
  });

  it.each([
    // The client secret would cross the network in clear.
    [{ DOUYIN_OPEN_BASE_URL: 'http://open.douyin.com' }],
    [{ DOUYIN_OPEN_BASE_URL: 'http://192.168.1.20:8080' }],
    [{ DOUYIN_TOKEN_SERVICE_URL: 'http://tokens.example.com/douyin' }],
    [{ DOUYIN_OPEN_BASE_URL: 'not a url' }],
    [{ DOUYIN_OPEN_BASE_URL: 'ftp://open.douyin.com' }],
    [{ DOUYIN_CLIENT_KEY: 'k' }],
    [{ DOUYIN_TOKEN_SERVICE_URL: 'tokens' }],
  ])('rejects %j', (env) => {
    expect(() => douyinConfigFromEnv(env)).toThrow();
  });
});
