import { z } from 'zod';
import type { Db } from './connection';
import { startSqliteThread } from './sqlite-thread';
import { loggerFor } from '../log';

const log = loggerFor('db');

/**
 * The main connection checkpoints only past this many WAL pages (40 MB): a safety net should
 * the background checkpointer stop; normally it never gets there.
 */
const INLINE_CHECKPOINT_PAGES = 10_000;
const CHECKPOINT_EVERY_MS = 500;
const Failure = z.object({ error: z.string() });

/*
 * SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: every ~40
 * scans, one scan's commit also copied ~4 MB into the database file and fsynced it (5-20 ms on
 * the answer path, the scan path's p99). Here a worker thread with its own connection runs a
 * PASSIVE checkpoint every CHECKPOINT_EVERY_MS: it never blocks the scan path's writes, and once
 * it has copied every frame the next commit starts the WAL over from its beginning. Durability
 * does not change: a commit is on disk when its WAL frames are fsynced (synchronous=FULL, on the
 * main connection), and the checkpoint copies what is already durable, with FULL syncs of its own.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread and closes its connection (before the main connection closes). */
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db, file: string): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
  const worker = startSqliteThread(WORKER, { file, everyMs: CHECKPOINT_EVERY_MS });
  worker.unref();
  worker.on('message', (message: unknown) => log.warn(`background checkpoint failed: ${Failure.parse(message).error}`));
  worker.on('error', (error) => log.error('the background checkpointer stopped; the main connection checkpoints', error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.ref(); // the await below must keep the process alive until the thread has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
