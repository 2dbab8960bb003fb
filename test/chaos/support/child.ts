import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface ChildHandle {
  pid: number;
  lines: unknown[];
  /** Resolves with the first line for which `match` holds. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The last few KB the child wrote to stderr, and whether it is still running. */
  stderr(): string;
  running(): boolean;
  /** Writes "wake" to the child's stdin (the OS saying the network is back). */
  wake?(): void;
  exited: Promise<number | null>;
}

/**
 * Runs a TypeScript file in its own Node process. `--import tsx` keeps it ONE process: tsx's CLI
 * would put a wrapper in between, and a SIGKILL would then kill only the wrapper while the core
 * kept running as an orphan.
 */
export function startChild(file: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): ChildHandle {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...execArgv, '--import', 'tsx', resolve(ROOT, file)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: unknown[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue; // Log noise, not an answer.
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    pid: child.pid!,
    lines,
    exited,
    waitFor(match, timeoutMs = 30_000) {
      const seen = lines.find((l) => match(l as Record<string, unknown>));
      if (seen) return Promise.resolve(seen as Record<string, unknown>);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${file} did not answer in time; stderr: ${stderr}`)), timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`child ${file} exited (${code}) early; stderr: ${stderr}`));
        });
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolveLine(l);
          },
        });
      });
    },
    stderr: () => stderr,
    running: () => child.exitCode === null && child.signalCode === null,
    wake() {
      if (child.exitCode === null) child.stdin.write('wake\n');
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
