import { performance } from 'node:perf_hooks';
import { createHubClient, pairWithHub, type HubClient } from '../electron/core/hub/client';
import { openDb } from '../hub/db';
import { createPairingCode } from '../hub/pairing';
import { startHubServer } from '../hub/server';
import { createSiteToken } from '../hub/site-token';
import { startTestPostgres } from '../test/support/hub';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

/**
 * Site claims at the hub (issue 17 item 9): simulated windows on loopback, each claiming at its
 * own steady rate, one hub process on a real PostgreSQL. One claim in ten is of a ticket another
 * window claims at the same moment, so a double claim would show. Bounded by windows × seconds.
 */
export async function run(ctx: BenchContext): Promise<Figures> {
  const windows = ctx.quick ? 20 : 200;
  const perSecond = 10;
  const seconds = ctx.quick ? 3 : 10;
  const postgres = await startTestPostgres();
  const db = await openDb(postgres.url);
  const siteToken = createSiteToken(db, { douyin: { baseUrl: 'http://127.0.0.1:9', clientKey: 'k', clientSecret: 's' } });
  const hub = await startHubServer({ db, siteToken, adminToken: 'bench-admin-token' });
  const clients: HubClient[] = [];
  try {
    for (let i = 0; i < windows; i++) {
      const { code } = await createPairingCode(db);
      const paired = await pairWithHub(hub.url, { code, name: `${i + 1}号窗口` });
      clients.push(createHubClient({ url: hub.url, ...paired }, { claimBudgetMs: 5_000 }));
    }
    const latencies: number[] = [];
    const winners = new Map<string, number>();
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, w) => {
        for (let n = 0; n < perSecond * seconds; n++) {
          const due = started + (n * 1000) / perSecond + (w * 1000) / perSecond / windows;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          // Every tenth claim is the same ticket as the window beside it claims now.
          const key = n % 10 === 0 ? `order:shared-${Math.floor(w / 2)}-${n}:*` : `order:w${w}-${n}:*`;
          const t0 = performance.now();
          try {
            const answer = await client.claim({ key, scanId: `w${w}-${n}` });
            latencies.push(performance.now() - t0);
            if (answer.won) winners.set(key, (winners.get(key) ?? 0) + 1);
          } catch {
            failures++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return {
      hub_claims_windows: windows,
      hub_claims_offered_per_s: windows * perSecond,
      hub_claims_per_s: latencies.length / elapsed,
      hub_claim_ms_p50: percentile(latencies, 50),
      hub_claim_ms_p99: percentile(latencies, 99),
      hub_claims_failed: failures,
      hub_double_claims: [...winners.values()].filter((n) => n > 1).length,
      hub_claims_scope: '1 hub process, loopback, PostgreSQL on this machine',
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await hub.close();
    siteToken.close();
    await db.end();
    await postgres.stop();
  }
}
