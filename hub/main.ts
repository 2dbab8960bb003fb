import { join } from 'node:path';
import { readHubConfig } from './config';
import { openDb } from './db';
import { startLocalPostgres, type LocalPostgres } from './local-postgres';
import { startHubServer } from './server';
import { createSiteToken } from './site-token';
import { pruneNonces } from './window-auth';
import { voucherKeys } from './vouchers';

async function main(): Promise<void> {
  const config = readHubConfig(process.env);
  let local: LocalPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    local = await startLocalPostgres(join(config.dataDir, 'postgres'), config.pgPort);
    databaseUrl = local.url;
    console.log(`hub: PostgreSQL in ${join(config.dataDir, 'postgres')} on 127.0.0.1:${config.pgPort}`);
  }
  const db = await openDb(databaseUrl);
  const siteToken = createSiteToken(db, { douyin: config.douyin, refreshAheadMs: config.refreshAheadMs });
  const server = await startHubServer({
    db,
    siteToken,
    voucherKeys: voucherKeys(config.dataKey),
    adminToken: config.adminToken,
    host: config.host,
    port: config.port,
    tls: config.tls,
    log: (message) => console.error(message),
  });
  const pruning = setInterval(() => void pruneNonces(db).catch((error: unknown) => console.error(error)), 60_000);
  // The line tests and supervisors wait for.
  console.log(`hub listening on ${server.url}`);

  const stop = async () => {
    clearInterval(pruning);
    await server.close();
    siteToken.close();
    await db.end();
    await local?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
