import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection';
import { writeHistoryCsv } from './csv-export';
import { ExportJob, STOP, type ExportReply } from './export-thread';
import { HistoryRepository } from './history-repository';
import { writeHistoryXlsx } from './xlsx-export';

// The export thread's entry (see export-thread.ts): one export, one answer, then the thread ends.
const port = parentPort;
if (!port) throw new Error('export-worker runs as a worker thread of the core');

async function run(): Promise<ExportReply> {
  const job = ExportJob.parse(workerData);
  const stop = new AbortController();
  port!.on('message', (message: unknown) => {
    if (message === STOP) stop.abort();
  });
  // Read-only: this connection can never write, migrate or hold the write lock the scan path needs.
  const db = openDatabase(job.database, { readonly: true });
  try {
    const write = job.format === 'xlsx' ? writeHistoryXlsx : writeHistoryCsv;
    return { done: await write(new HistoryRepository(db), job.filter, job.file, stop.signal) };
  } catch (error) {
    if (stop.signal.aborted) return { stopped: true };
    throw error;
  } finally {
    db.close();
  }
}

run().then(
  (reply) => port.postMessage(reply),
  (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    const reply: ExportReply = { error: error instanceof Error ? error.message : String(error) };
    port.postMessage(typeof code === 'string' ? { ...reply, code } : reply);
  },
);
// The stop listener would keep the thread alive; it ends once its answer is posted.
port.unref();
