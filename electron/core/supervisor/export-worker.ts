import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../db/connection';
import { writeHistoryCsv } from './csv-export';
import { ExportJob, QUIT, STOP, type ExportReply } from './export-thread';
import { HistoryRepository } from './history-repository';
import { writeHistoryXlsx } from './xlsx-export';

// The export thread's entry (see ExportThread): jobs one at a time, one answer each, until told to quit.
const port = parentPort;
if (!port) throw new Error('export-worker runs as a worker thread of the core');

let stop = new AbortController();

async function run(message: unknown): Promise<ExportReply> {
  const job = ExportJob.parse(message);
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

function failure(error: unknown): ExportReply {
  const code = (error as { code?: unknown } | null)?.code;
  const reply: ExportReply = { error: error instanceof Error ? error.message : String(error) };
  return typeof code === 'string' ? { ...reply, code } : reply;
}

port.on('message', (message: unknown) => {
  if (message === STOP) stop.abort();
  else if (message === QUIT) port.close();
  else {
    // The core sends a job only once the one before is answered: a stop sent since is spent.
    stop = new AbortController();
    void run(message).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage(failure(error)),
    );
  }
});
