import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryFilter } from '../../../shared/domain/history';
import type { ExportFormat, ExportStarted } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import { writeHistoryCsv } from './csv-export';
import { beijingTime } from './export-rows';
import type { HistoryRepository } from './history-repository';
import { writeHistoryXlsx } from './xlsx-export';

/** Per call over the contract; base64 makes it a third larger on the wire. */
const EXPORT_CHUNK_BYTES = 1024 * 1024;

/**
 * Exports go through the contract in chunks rather than through a download URL: the same code
 * then serves Electron's IPC and the web transport, with the same session check on each chunk.
 * The file lives in the data folder only until its last chunk is read (or the next start).
 */
export class ExportDesk {
  private readonly dir: string;
  private readonly files = new Map<string, { file: string; chunks: number }>();

  constructor(
    dataDir: string,
    private readonly history: HistoryRepository,
    private readonly now: () => number,
  ) {
    this.dir = join(dataDir, 'exports');
    // Leftovers of an export interrupted by a restart: never reachable again, and they hold data.
    rmSync(this.dir, { recursive: true, force: true });
  }

  async start(filter: HistoryFilter, format: ExportFormat = 'csv'): Promise<ExportStarted> {
    const exportId = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${exportId}.${format}`);
    const write = format === 'xlsx' ? writeHistoryXlsx : writeHistoryCsv;
    const { rows, bytes } = await write(this.history, filter, file);
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
}
