import { createTokenAgent } from '../electron/core/douyin/token-http';
import {
  fetchClientToken,
  type ClientCredentialsTokenSourceOptions,
} from '../electron/core/douyin/client-credentials-token-source';
import type { Db } from './db';
import { inTransaction } from './db';

export interface SiteTokenOptions {
  douyin: ClientCredentialsTokenSourceOptions;
  /** Refresh once less than this is left. Default 10 minutes. */
  refreshAheadMs?: number;
}

export interface SiteToken {
  get(): Promise<{ access_token: string; expires_at: number }>;
  close(): void;
}

/**
 * The site's one client_token. A fresh token is read without a lock; otherwise the row is locked
 * FOR UPDATE, checked again, and only the process that still finds it stale fetches: the others
 * wait on the lock and then read what it stored. So every hub process together fetches once.
 */
export function createSiteToken(db: Db, options: SiteTokenOptions): SiteToken {
  const agent = createTokenAgent(options.douyin);
  const refreshAheadMs = options.refreshAheadMs ?? 10 * 60_000;
  const select =
    'SELECT access_token, (extract(epoch FROM expires_at) * 1000)::bigint AS expires_ms FROM site_token WHERE id = 1';
  const usable = (row: { access_token: string | null; expires_ms: string | null } | undefined) =>
    row?.access_token && row.expires_ms && Number(row.expires_ms) - Date.now() > refreshAheadMs
      ? { access_token: row.access_token, expires_at: Math.floor(Number(row.expires_ms) / 1000) }
      : undefined;

  return {
    async get() {
      const fresh = usable((await db.query(select)).rows[0]);
      if (fresh) return fresh;
      const client = await db.connect();
      try {
        return await inTransaction(client, async () => {
          const locked = usable((await client.query(`${select} FOR UPDATE`)).rows[0]);
          if (locked) return locked;
          const fetched = await fetchClientToken(agent, options.douyin);
          await client.query(
            'UPDATE site_token SET access_token = $1, expires_at = to_timestamp($2 / 1000.0), fetched_at = now() WHERE id = 1',
            [fetched.token, fetched.expiresAtMs],
          );
          return { access_token: fetched.token, expires_at: Math.floor(fetched.expiresAtMs / 1000) };
        });
      } finally {
        client.release();
      }
    },
    close: () => void agent.close(),
  };
}
