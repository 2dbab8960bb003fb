import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningWebApp {
  /** The printed URL, with its one-time secret. */
  loginUrl: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Starts `electron/web/main.ts` as its own process with a fresh data folder and a free port,
 * exactly as `npm run start:web` does after its build, and waits for the one line it prints.
 * `nodeArgs` go to that Node (a bench's `--import` of its timing marks, `--cpu-prof`).
 */
export async function startWebApp(env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<RunningWebApp> {
  const dataDir = env.TICKET_WINDOW_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tw-e2e-'));
  // One process (tsx as a loader), so stopping it stops the core too.
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, join(ROOT, 'electron/web/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', TICKET_WINDOW_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const loginUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web app did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web app exited with ${code}:\n${output}`));
    });
  });
  return {
    loginUrl,
    origin: new URL(loginUrl).origin,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!env.TICKET_WINDOW_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
