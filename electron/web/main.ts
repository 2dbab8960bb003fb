import { resolve } from 'node:path';
import { createCore } from '../core/app';
import { connectPlatform } from '../platform/connect';
import { resolveDataDir } from '../core/config';
import { plainCodec } from '../core/secrets/store';
import { startWebTransport } from './server';

/**
 * Web mode: the core and the built renderer on 127.0.0.1, for development and browser tests.
 * Secrets here use the plain development codec: web mode is not for a production gate.
 */
async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.env, resolve('.data'));
  const core = await createCore({ connectPlatform, dataDir, env: process.env, secretCodec: plainCodec });
  const port = process.env.PORT ? Number(process.env.PORT) : 5178;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${process.env.PORT}`);
  const web = await startWebTransport({
    routes: core.routes,
    events: core.events,
    staticDir: resolve('dist/renderer'),
    port,
  });
  // The one line to open; tests read it from stdout.
  console.log(`Ticket Window (${core.status().mode}) is ready: ${web.loginUrl}`);
  const stop = async () => {
    await web.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error('[web] cannot start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
