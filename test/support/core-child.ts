import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { plainCodec } from '../../electron/core/secrets/store';
import { startCoreProcess, type CoreChild, type CoreProcess, type CoreState } from '../../electron/main/core-process';
import type { CrashLoopGuard } from '../../electron/main/recovery';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = resolve(ROOT, 'electron/host/index.ts');

export interface ForkedCore {
  child: CoreChild;
  process: ChildProcess;
  stderr(): string;
}

/**
 * The core's real process entry under plain Node, as Electron's utilityProcess would run it:
 * `child_process.fork` gives it the same message protocol (`process.send` instead of
 * `process.parentPort`). `--import tsx` keeps it one process, so a SIGKILL hits the core itself.
 */
export function forkCore(env: NodeJS.ProcessEnv): ForkedCore {
  const proc = fork(ENTRY, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  return {
    process: proc,
    stderr: () => stderr,
    child: {
      send: (message) => {
        if (proc.connected) proc.send(message);
      },
      onMessage: (listener) => proc.on('message', listener),
      onExit: (listener) => proc.once('exit', (code) => listener(code)),
      kill: () => void proc.kill('SIGKILL'),
    },
  };
}

export interface SupervisedCore {
  core: CoreProcess;
  /** Every process main started, the one running last: SIGKILL `forks.at(-1)` to crash the core. */
  forks: ForkedCore[];
  states: CoreState[];
  close(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Main's supervision of a forked core, restarting it when it dies; safeStorage is the development codec. */
export function superviseForkedCore(env: NodeJS.ProcessEnv, options: { guard?: CrashLoopGuard } = {}): SupervisedCore {
  const forks: ForkedCore[] = [];
  const states: CoreState[] = [];
  const core = startCoreProcess({
    spawn: () => {
      const forked = forkCore(env);
      forks.push(forked);
      return forked.child;
    },
    // Main's safeStorage, played by the development codec: the child only reaches it by request.
    codec: plainCodec,
    desktop: async () => true,
    log: silent,
    onEvent: () => undefined,
    onSettings: () => undefined,
    onState: (state) => states.push(state),
    ...(options.guard ? { guard: options.guard } : {}),
  });
  return {
    core,
    forks,
    states,
    async close() {
      await core.close();
      for (const forked of forks) forked.process.kill('SIGKILL');
    },
  };
}
