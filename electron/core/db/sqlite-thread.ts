import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread with a connection of its own, for SQLite work that must never make a scan wait.
 * The script is a string so that it needs no file of its own next to the bundled main; it gets
 * the driver's resolved path as `workerData.driver` beside `data`.
 */
export function startSqliteThread(script: string, data: Record<string, unknown>): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Worker(script, { eval: true, workerData: { ...data, driver } });
}
