import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the data lives: TICKET_WINDOW_DATA_DIR wins (tests, several windows on one machine),
 * else the platform's per-user folder that the caller gives (Electron's userData in the app,
 * ./.data in web mode).
 */
export function resolveDataDir(env: NodeJS.ProcessEnv, fallback: string): string {
  const dir = resolve(env.TICKET_WINDOW_DATA_DIR?.trim() || fallback);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
