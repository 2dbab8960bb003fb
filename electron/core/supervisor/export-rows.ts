import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { maskedDisplay, type HistoryCursor, type HistoryFilter } from '../../../shared/domain/history';
import type { ExportRecord, HistoryRepository } from './history-repository';

/**
 * Rows per batch. An export runs on a thread of its own (export-thread.ts), so a batch's length
 * no longer holds up any scan; between batches the thread looks for a stop. 2,000 rows are ~20 ms
 * there on a quiet machine: a stop waits at most that, and the per-batch costs (the keyset
 * statement's start, a write) are spread over enough rows to vanish.
 */
export const EXPORT_BATCH_ROWS = 2_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Bilingual, so one file serves the supervisor and whoever they send it to. */
export const EXPORT_HEADER = [
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
 * One exported row, cell by cell in the header's order: text (ids included, always as text),
 * counts as numbers, and the amount in fen (the column `AMOUNT_COLUMN`), which each writer shows
 * as yuan.
 */
export type ExportValue = string | number | null;
export const AMOUNT_COLUMN = 17;

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
let lastDay = Number.NaN;
let lastDate = '';

/**
 * China has no daylight saving: a fixed offset formats 100k rows far faster than Intl. An export
 * runs through few days, so the date is formatted once per day and the time by arithmetic (a Date
 * per row was 6 % of the export's time).
 */
export function beijingTime(ms: number): string {
  const local = ms + BEIJING_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  const seconds = Math.floor((local - day * DAY_MS) / 1000);
  return `${lastDate} ${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

function exportValues(r: ExportRecord): ExportValue[] {
  return [
    beijingTime(r[0]),
    r[1],
    r[2],
    r[3],
    r[4],
    maskedDisplay(r[5], r[6]),
    r[7],
    r[8],
    r[9],
    r[10],
    r[11],
    r[12],
    r[13],
    r[14],
    r[15],
    r[16],
    r[17],
    r[18],
  ];
}

/**
 * The one row source of every export format: the filtered history in keyset batches, newest
 * first, with the event loop's turn between batches, where a stop (`signal`) ends the export
 * with the signal's reason. `each` may start its write and return: the next batch is read while
 * it runs.
 */
export async function forEachExportBatch(
  history: HistoryRepository,
  filter: HistoryFilter,
  each: (rows: ExportValue[][]) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  let rows = 0;
  let after: HistoryCursor | undefined;
  for (;;) {
    const batch = history.exportRecords(filter, after, EXPORT_BATCH_ROWS);
    if (batch.length === 0) break;
    await each(batch.map(exportValues));
    rows += batch.length;
    const last = batch.at(-1)!;
    after = { at: last[0], id: last[19] };
    if (batch.length < EXPORT_BATCH_ROWS) break;
    await yieldToEventLoop();
    signal?.throwIfAborted();
  }
  return rows;
}
