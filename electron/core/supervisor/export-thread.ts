import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { HistoryFilter } from '../../../shared/domain/history';
import { ExportFormat } from '../../../shared/domain/supervisor';

/** What the export thread is given: the database to read (its own read-only connection) and the file to write. */
export const ExportJob = z.object({
  database: z.string().min(1),
  filter: HistoryFilter,
  format: ExportFormat,
  file: z.string().min(1),
});
export type ExportJob = z.infer<typeof ExportJob>;

/** The thread's one answer, then it ends. `stopped`: it was asked to stop and left its file half-written. */
export const ExportReply = z.union([
  z.object({ done: z.object({ rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }) }),
  z.object({ stopped: z.literal(true) }),
  // `code`: the error's own (SQLITE_BUSY, ENOSPC…), which a thrown error loses crossing threads.
  z.object({ error: z.string(), code: z.string().optional() }),
]);
export type ExportReply = z.infer<typeof ExportReply>;

export const STOP = 'stop';

/** A thread's script and the Node options it needs to run. */
export interface ThreadEntry {
  file: URL;
  execArgv: string[];
}

/**
 * The thread's script sits beside this module: the built `export-worker.cjs` next to the core's
 * bundle (one file, import.meta.url is the bundle's), or the TypeScript source beside this file
 * when the core runs from source (tests, `npm run start:web`), loaded through tsx, found from here
 * rather than from the working directory.
 */
export function defaultExportEntry(): ThreadEntry {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { file: new URL('./export-worker.cjs', here), execArgv: [] };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { file: new URL('./export-worker.ts', here), execArgv: ['--import', tsx] };
}

export interface ExportRun {
  /** The thread's answer: an export's rows and bytes, or why it has none. */
  readonly reply: Promise<ExportReply>;
  /** Asks the thread to stop at its next batch; `reply` then says `stopped` (or `done`, had it finished). */
  stop(): void;
}

/**
 * One export on its own thread. The 100k-row CSV is ~1 s of synchronous SQLite and string work
 * in batches; on the core's event loop every batch held up the scans waiting behind it (13-30 ms
 * per batch on a quiet machine, over 100 ms loaded). On a thread, the core's loop only forwards
 * the answer. The thread is never terminated: ending a worker inside a better-sqlite3 call has
 * aborted whole processes (WiseLibs/better-sqlite3#1507), so a stop is a message it honours
 * between batches.
 */
export function runExport(job: ExportJob, entry: ThreadEntry = defaultExportEntry()): ExportRun {
  const worker = new Worker(entry.file, { workerData: job, execArgv: entry.execArgv });
  const reply = new Promise<ExportReply>((resolve) => {
    let answer: ExportReply | undefined;
    worker.on('message', (message: unknown) => {
      const parsed = ExportReply.safeParse(message);
      answer = parsed.success ? parsed.data : { error: `the export thread answered ${JSON.stringify(message)}` };
    });
    worker.on('error', (error) => {
      answer ??= { error: error.message };
    });
    // Settled on exit, not on the message: the caller may remove the file only once the thread has closed it.
    worker.once('exit', (code) => resolve(answer ?? { error: `the export thread ended (code ${code}) without an answer` }));
  });
  return { reply, stop: () => worker.postMessage(STOP) };
}
