import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { maskedDisplay, type HistoryCursor, type HistoryFilter } from '../../../shared/domain/history';
import { yuan } from '../../../shared/domain/money';
import type { ExportStarted } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { ExportRecord, HistoryRepository } from './history-repository';

/**
 * Rows per batch: about 2-3 ms of SQLite and formatting on a quiet machine, then the event loop
 * gets a turn, so a scan waits well under one frame (16 ms) behind an export even when loaded
 * (1,000 rows took 9 ms, with batches of 25-50 ms at a load average of 1.5).
 */
export const EXPORT_BATCH_ROWS = 250;
/** Per call over the contract; base64 makes it a third larger on the wire. */
const EXPORT_CHUNK_BYTES = 1024 * 1024;
const BOM = '\uFEFF';
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Bilingual, so one file serves the supervisor and whoever they send it to. */
const HEADER = [
  '扫码时间 Scanned at (UTC+8)',
  '窗口 Window',
  '员工 Staff',
  'POI',
  '来源 Source',
  '凭证 Credential',
  '订单号 Order id',
  '项目 Project',
  '结果 Outcome',
  '原因 Reason',
  '抖音说明 Douyin message',
  '尝试次数 Attempts',
  '最后原因 Last reason',
  'logid',
  // Last, so the columns before keep their places for sheets built on them.
  '工号 Operator',
  // Douyin-code coupons (empty for trip tickets): what was sold, to how many, for how much.
  '商品 Product',
  '人数 People',
  '金额（元） Amount (yuan)',
];

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR that hides one) as a formula:
 * such cells get a leading apostrophe so they stay text.
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * Excel reads a long run of digits as a number and keeps 15 significant digits, so a 19-digit
 * order id opens as 8000000000000000000. ="…" makes it a text constant; safe from injection,
 * because only digits go inside.
 */
function keepAsText(cell: string): string {
  return /^\d{12,}$/.test(cell) ? `="${cell}"` : cell;
}

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
let lastDay = Number.NaN;
let lastDate = '';

/**
 * China has no daylight saving: a fixed offset formats 100k rows far faster than Intl. An export
 * runs through few days, so the date is formatted once per day and the time by arithmetic (a Date
 * per row was 6 % of the export's time).
 */
function beijingTime(ms: number): string {
  const local = ms + BEIJING_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  const seconds = Math.floor((local - day * DAY_MS) / 1000);
  return `${lastDate} ${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** RFC 4180: a cell with a quote, comma or line break is quoted, its quotes doubled. */
function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** What any of the three rules above could change: most cells have none of it and go out as they are. */
const SPECIAL = /^[=+\-@\t\r\d]|[",\r\n]/;
const text = (cell: string | null) => (cell === null ? '' : SPECIAL.test(cell) ? csvCell(keepAsText(neutralise(cell))) : cell);

function csvLine(r: ExportRecord): string {
  return `${beijingTime(r[0])},${text(r[1])},${text(r[2])},${text(r[3])},${text(r[4])},${text(maskedDisplay(r[5], r[6]))},${text(
    r[7],
  )},${text(r[8])},${text(r[9])},${text(r[10])},${text(r[11])},${r[12]},${text(r[13])},${text(r[14])},${text(r[15])},${text(
    r[16],
  )},${r[17] ?? ''},${r[18] === null ? '' : yuan(r[18])}\n`;
}

/**
 * Writes the filtered history as CSV (UTF-8 with BOM, for Excel) in keyset batches, yielding to
 * the event loop between batches so scans keep being answered during a long export. A batch's
 * write runs while the next batch is read and formatted: awaiting each write before reading on
 * left the loop idle for a thread-pool round trip per batch (most of a 100k-row export's time
 * with small batches).
 */
export async function writeHistoryCsv(
  history: HistoryRepository,
  filter: HistoryFilter,
  file: string,
): Promise<{ rows: number; bytes: number }> {
  const handle = await open(file, 'w', 0o600);
  let rows = 0;
  let writing: Promise<unknown> = handle.write(`${BOM}${HEADER.map(csvCell).join(',')}\n`);
  try {
    let after: HistoryCursor | undefined;
    for (;;) {
      const batch = history.exportRecords(filter, after, EXPORT_BATCH_ROWS);
      if (batch.length === 0) break;
      let chunk = '';
      for (const r of batch) chunk += csvLine(r);
      await writing;
      writing = handle.write(chunk);
      rows += batch.length;
      const last = batch.at(-1)!;
      after = { at: last[0], id: last[19] };
      if (batch.length < EXPORT_BATCH_ROWS) break;
      await yieldToEventLoop();
    }
    await writing;
  } finally {
    // Never close under a write still in flight; its failure, if any, was thrown above.
    await writing.catch(() => undefined);
    await handle.close();
  }
  return { rows, bytes: (await stat(file)).size };
}

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

  async start(filter: HistoryFilter): Promise<ExportStarted> {
    const exportId = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${exportId}.csv`);
    const { rows, bytes } = await writeHistoryCsv(this.history, filter, file);
    const chunks = Math.max(1, Math.ceil(bytes / EXPORT_CHUNK_BYTES));
    this.files.set(exportId, { file, chunks });
    const stamp = beijingTime(this.now()).replace(/[-: ]/g, '').slice(0, 12);
    return { exportId, rows, bytes, chunks, fileName: `history-${stamp}.csv` };
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
