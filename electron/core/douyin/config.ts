import { z } from 'zod';
import { secureUrl } from '../../../shared/domain/settings';

const DEFAULT_DOUYIN_OPEN_BASE_URL = 'https://open.douyin.com';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const douyinEnvSchema = z
  .object({
    DOUYIN_OPEN_BASE_URL: z
      .string()
      .trim()
      .transform((v) => v || DEFAULT_DOUYIN_OPEN_BASE_URL)
      .pipe(secureUrl())
      .default(DEFAULT_DOUYIN_OPEN_BASE_URL),
    DOUYIN_CLIENT_KEY: optionalText,
    DOUYIN_CLIENT_SECRET: optionalText,
    DOUYIN_POI_ID: optionalText,
    DOUYIN_TOKEN_SERVICE_URL: optionalText.pipe(secureUrl().optional()),
  })
  .refine((env) => Boolean(env.DOUYIN_CLIENT_KEY) === Boolean(env.DOUYIN_CLIENT_SECRET), {
    message: 'DOUYIN_CLIENT_KEY and DOUYIN_CLIENT_SECRET must be set together',
  });

export type DouyinTokenConfig =
  | { kind: 'client_credentials'; clientKey: string; clientSecret: string }
  | { kind: 'token_service'; url: string }
  /** The site hub this window is paired with serves the site's one token (issue 17). */
  | { kind: 'site_hub'; url: string; windowId: string; secret: string }
  | { kind: 'none' };

export interface DouyinConfig {
  baseUrl: string;
  poiId?: string;
  /** A token service wins over client credentials: it is the fleet-safe source. */
  token: DouyinTokenConfig;
}

/** Reads and validates the Douyin settings; throws a ZodError naming the bad variable. */
export function douyinConfigFromEnv(env: Record<string, string | undefined>): DouyinConfig {
  const parsed = douyinEnvSchema.parse(env);
  const token: DouyinTokenConfig = parsed.DOUYIN_TOKEN_SERVICE_URL
    ? { kind: 'token_service', url: parsed.DOUYIN_TOKEN_SERVICE_URL }
    : parsed.DOUYIN_CLIENT_KEY && parsed.DOUYIN_CLIENT_SECRET
      ? { kind: 'client_credentials', clientKey: parsed.DOUYIN_CLIENT_KEY, clientSecret: parsed.DOUYIN_CLIENT_SECRET }
      : { kind: 'none' };
  return { baseUrl: parsed.DOUYIN_OPEN_BASE_URL, ...(parsed.DOUYIN_POI_ID ? { poiId: parsed.DOUYIN_POI_ID } : {}), token };
}
