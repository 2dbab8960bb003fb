import { z } from 'zod';
import { startSqliteThread } from './sqlite-thread';

/** What the check found: null when the file is whole. */
const Finding = z.object({ problem: z.string().nullable() });

/*
 * SQLite's quick_check reads every page: seconds on a big file, more after a reboot when nothing
 * is in the page cache. It runs on a worker thread with its own read-only connection (WAL lets it
 * read a consistent snapshot while the scan path writes), so no scan ever waits for it.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let problem = null;
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check(5)').map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (rows.length > 0) problem = rows.join('; ').slice(0, 500);
  } finally {
    db.close();
  }
} catch (error) {
  const code = String(error && error.code);
  if (!code.startsWith('SQLITE_CORRUPT') && !code.startsWith('SQLITE_NOTADB')) throw error;
  problem = code + ': ' + error.message;
}
parentPort.postMessage({ problem });
`;

export interface IntegrityCheck {
  /** Resolves with the problem found, or null for a whole file. Rejects when the check itself failed. */
  readonly done: Promise<string | null>;
  /**
   * Stops the check (the app is closing): `finished` when it ended on its own within the grace,
   * `cut` when its thread had to be ended. `done` then resolves null unless the check finished.
   */
  stop(): Promise<'finished' | 'cut'>;
}

/**
 * How long closing waits for a running check before it ends the thread. Ending a worker while it
 * is inside a better-sqlite3 call has aborted whole processes (WiseLibs/better-sqlite3#1507), so
 * a check that finishes soon (any small file, every check in the tests) is let finish; only a
 * long check of a big file is cut short, still within main's 10 s close budget.
 */
const STOP_GRACE_MS = 2_000;

export function startIntegrityCheck(file: string, stopGraceMs = STOP_GRACE_MS): IntegrityCheck {
  const worker = startSqliteThread(WORKER, { file });
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const done = new Promise<string | null>((resolve, reject) => {
    worker.once('message', (message: unknown) => resolve(Finding.parse(message).problem));
    worker.once('error', (error) => (stopped ? resolve(null) : reject(error)));
    worker.once('exit', (code) =>
      stopped || code === 0 ? resolve(null) : reject(new Error(`integrity check exited with ${code}`)),
    );
  });
  return {
    done,
    async stop() {
      stopped = true;
      let grace: NodeJS.Timeout | undefined;
      const cutShort = new Promise<'cut'>((resolve) => (grace = setTimeout(() => resolve('cut'), stopGraceMs)));
      const ended = await Promise.race([exited.then(() => 'finished' as const), cutShort]);
      clearTimeout(grace);
      if (ended === 'cut') await worker.terminate();
      return ended;
    },
  };
}
