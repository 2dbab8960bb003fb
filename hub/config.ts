import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Everything the hub reads from its environment; a wrong value stops it with the reason. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  HUB_DATA_DIR: z.string().default('.data/hub'),
  HUB_HOST: z.string().default('0.0.0.0'),
  HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8470),
  HUB_PG_PORT: z.coerce.number().int().min(1).max(65535).default(8471),
  HUB_ADMIN_TOKEN: z.string().min(12, 'HUB_ADMIN_TOKEN must be at least 12 characters'),
  HUB_TLS_CERT: z.string().optional(),
  HUB_TLS_KEY: z.string().optional(),
  HUB_TOKEN_REFRESH_AHEAD_S: z.coerce.number().int().min(0).default(600),
  DOUYIN_BASE_URL: z.string().url().default('https://open.douyin.com'),
  DOUYIN_CLIENT_KEY: z.string().min(1),
  DOUYIN_CLIENT_SECRET: z.string().min(1),
  /** Seals voucher orders at rest; by default derived from the Douyin secret every hub process has. */
  HUB_DATA_KEY: z.string().min(16, 'HUB_DATA_KEY must be at least 16 characters').optional(),
});

export function readHubConfig(env: NodeJS.ProcessEnv) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`hub configuration invalid / 站点中心配置无效: ${reasons}`);
  }
  const c = parsed.data;
  if (Boolean(c.HUB_TLS_CERT) !== Boolean(c.HUB_TLS_KEY)) {
    throw new Error('HUB_TLS_CERT and HUB_TLS_KEY go together / 证书与私钥须同时配置');
  }
  return {
    databaseUrl: c.DATABASE_URL,
    dataDir: resolve(c.HUB_DATA_DIR),
    host: c.HUB_HOST,
    port: c.HUB_PORT,
    pgPort: c.HUB_PG_PORT,
    adminToken: c.HUB_ADMIN_TOKEN,
    tls: c.HUB_TLS_CERT && c.HUB_TLS_KEY ? { cert: readFileSync(c.HUB_TLS_CERT), key: readFileSync(c.HUB_TLS_KEY) } : undefined,
    dataKey: c.HUB_DATA_KEY ?? c.DOUYIN_CLIENT_SECRET,
    refreshAheadMs: c.HUB_TOKEN_REFRESH_AHEAD_S * 1000,
    douyin: { baseUrl: c.DOUYIN_BASE_URL, clientKey: c.DOUYIN_CLIENT_KEY, clientSecret: c.DOUYIN_CLIENT_SECRET },
  };
}
