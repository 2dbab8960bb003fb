import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryFilter } from '../../../shared/domain/history';
import type { ExportFormat, ExportStarted } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import { beijingTime } from './export-rows';
import { ExportThread, type ExportRun, type ThreadEntry } from './export-thread';

/** Per call over the contract; base64 makes it a third larger on the wire. */
const EXPORT_CHUNK_BYTES = 1024 * 1024;

/**
 * Exports go through the contract in chunks rather than through a download URL: the same code
 * then serves Electron's IPC and the web transport, with the same session check on each chunk.
 * Each export is written by the core's export thread (export-thread.ts), reading `database` on a
 * read-only connection, so the core's loop goes on answering scans. The file lives in the data
 * folder only until its last chunk is read, or until the desk closes (or the next start, after a
 * crash).
 */
export class ExportDesk {
  private readonly dir: string;
  private readonly files = new Map<string, { file: string; chunks: number }>();
  private readonly running = new Set<ExportRun>();
  private readonly thread: ExportThread;
  private closed = false;

  constructor(
    dataDir: string,
    /** The database file the exports read; the desk's own writes are only the export files. */
    private readonly database: string,
    private readonly now: () => number,
    /** The export thread's script; the benchmark passes the built one, which is what the app runs. */
    entry?: ThreadEntry,
  ) {
    this.thread = new ExportThread(entry);
    this.dir = join(dataDir, 'exports');
    // Leftovers of an export interrupted by a crash: never reachable again, and they hold data.
    rmSync(this.dir, { recursive: true, force: true });
  }

  async start(filter: HistoryFilter, format: ExportFormat = 'csv'): Promise<ExportStarted> {
    if (this.closed) throw new RouteError('recovering', 'the core is closing');
    const exportId = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${exportId}.${format}`);
    const run = this.thread.run({ database: this.database, filter, format, file });
    this.running.add(run);
    const reply = await run.reply.finally(() => this.running.delete(run));
    if (!('done' in reply)) {
      // Half a file is of no use to anyone, and it holds data.
      await rm(file, { force: true });
      if ('stopped' in reply) throw new RouteError('recovering', 'the export was stopped: the core is closing');
      if (reply.code === 'ENOSPC') throw new RouteError('storage_full', 'the disk is full; the export was not written');
      // With its code, dispatch tells a database failure from an internal one, as for any route.
      throw Object.assign(new Error(`export failed: ${reply.error}`), { code: reply.code });
    }
    const { rows, bytes } = reply.done;
    const chunks = Math.max(1, Math.ceil(bytes / EXPORT_CHUNK_BYTES));
    this.files.set(exportId, { file, chunks });
    const stamp = beijingTime(this.now()).replace(/[-: ]/g, '').slice(0, 12);
    return { exportId, rows, bytes, chunks, fileName: `history-${stamp}.${format}` };
  }

  async chunk(exportId: string, index: number): Promise<{ base64: string; last: boolean }> {
    const entry = this.files.get(exportId);
    if (!entry || index >= entry.chunks) throw new RouteError('not_found', 'no such export chunk');
    const handle = await open(entry.file, 'r');
    const buffer = Buffer.alloc(EXPORT_CHUNK_BYTES);
    let read: number;
    try {
      ({ bytesRead: read } = await handle.read(buffer, 0, EXPORT_CHUNK_BYTES, index * EXPORT_CHUNK_BYTES));
    } finally {
      await handle.close();
    }
    const last = index === entry.chunks - 1;
    if (last) {
      this.files.delete(exportId);
      await unlink(entry.file);
    }
    return { base64: buffer.subarray(0, read).toString('base64'), last };
  }

  /**
   * Stops the exports still running (at its next batch) or waiting, waits for the thread to close
   * its file and end, and removes every export file not yet handed over: none of it is reachable after.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.thread.close();
    await Promise.all([...this.running].map((run) => run.reply));
    this.files.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
