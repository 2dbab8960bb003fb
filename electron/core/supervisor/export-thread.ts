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

/** The thread's answer to one export. `stopped`: it was asked to stop and left its file half-written. */
export const ExportReply = z.union([
  z.object({ done: z.object({ rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }) }),
  z.object({ stopped: z.literal(true) }),
  // `code`: the error's own (SQLITE_BUSY, ENOSPC…), which a thrown error loses crossing threads.
  z.object({ error: z.string(), code: z.string().optional() }),
]);
export type ExportReply = z.infer<typeof ExportReply>;

/** What the core sends the thread besides jobs: stop the export running; end once idle. */
export const STOP = 'stop';
export const QUIT = 'quit';

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
function defaultExportEntry(): ThreadEntry {
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
 * The core's export thread, started at the first export and kept for the next: a fresh thread per
 * export paid its start (80-100 ms on the kiosk's two cores) and ran the CSV code cold each time,
 * about a third of a 100k-row export. On this thread a 100k-row CSV is ~0.4 s of SQLite and
 * string work; on the core's event loop every batch held up the scans waiting behind it (13-30 ms
 * per batch quiet, over 100 ms loaded). The thread runs one export at a time, in order; it opens
 * its read-only connection per export, so no handle stays on the database between exports (a
 * recovery may move the file). It is never terminated: ending a worker inside a better-sqlite3
 * call has aborted whole processes (WiseLibs/better-sqlite3#1507), so a stop is a message it
 * honours between batches and `close` a message it honours once idle.
 */
export class ExportThread {
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly queue: { job: ExportJob; answer: (reply: ExportReply) => void }[] = [];
  private quitWhenIdle = false;

  constructor(private readonly entry: ThreadEntry = defaultExportEntry()) {}

  run(job: ExportJob): ExportRun {
    let answer!: (reply: ExportReply) => void;
    const reply = new Promise<ExportReply>((resolve) => (answer = resolve));
    const item = { job, answer };
    this.queue.push(item);
    if (this.queue.length === 1) this.send();
    return {
      reply,
      stop: () => {
        const at = this.queue.indexOf(item);
        if (at === 0) this.worker?.postMessage(STOP);
        else if (at > 0) {
          this.queue.splice(at, 1);
          answer({ stopped: true });
        }
      },
    };
  }

  /** Stops whatever runs or waits, then lets the thread end and waits for it to. */
  async close(): Promise<void> {
    for (const waiting of this.queue.splice(1)) waiting.answer({ stopped: true });
    this.quitWhenIdle = true;
    // Awaited now: an idle thread is unref'd, and the process must not end before it has.
    this.worker?.ref();
    this.worker?.postMessage(this.queue.length > 0 ? STOP : QUIT);
    await this.exited;
  }

  private send(): void {
    const next = this.queue[0];
    if (!next) {
      // Idle, it must not keep the core's process alive; closing, it must, until it has ended.
      if (this.quitWhenIdle) this.worker?.postMessage(QUIT);
      else this.worker?.unref();
      return;
    }
    const worker = this.worker ?? this.start();
    worker.ref();
    worker.postMessage(next.job);
  }

  private start(): Worker {
    const worker = new Worker(this.entry.file, { execArgv: this.entry.execArgv });
    this.worker = worker;
    const finish = (reply: ExportReply) => {
      this.queue.shift()?.answer(reply);
      this.send();
    };
    worker.on('message', (message: unknown) => {
      const parsed = ExportReply.safeParse(message);
      finish(parsed.success ? parsed.data : { error: `the export thread answered ${JSON.stringify(message)}` });
    });
    let failure: string | undefined;
    worker.on('error', (error) => (failure = error.message));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.worker = undefined;
        // A thread that ended under an export leaves it unanswered: it fails, and the next starts a thread anew.
        const running = this.queue.shift();
        running?.answer({ error: failure ?? `the export thread ended (code ${code}) without an answer` });
        resolve();
        if (!this.quitWhenIdle) this.send();
        else for (const waiting of this.queue.splice(0)) waiting.answer({ stopped: true });
      }),
    );
    return worker;
  }
}
