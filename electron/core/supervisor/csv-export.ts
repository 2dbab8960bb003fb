import { open, stat } from 'node:fs/promises';
import type { HistoryFilter } from '../../../shared/domain/history';
import { yuan } from '../../../shared/domain/money';
import { AMOUNT_COLUMN, EXPORT_HEADER, forEachExportBatch, type ExportValue } from './export-rows';
import type { HistoryRepository } from './history-repository';

const BOM = '\uFEFF';

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

/** RFC 4180: a cell with a quote, comma or line break is quoted, its quotes doubled. */
function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** What any of the three rules above could change: most cells have none of it and go out as they are. */
const SPECIAL = /^[=+\-@\t\r\d]|[",\r\n]/;
const text = (cell: string | null) => (cell === null ? '' : SPECIAL.test(cell) ? csvCell(keepAsText(neutralise(cell))) : cell);

function csvCellOf(value: ExportValue, column: number): string {
  if (value === null) return '';
  if (typeof value === 'number') return column === AMOUNT_COLUMN ? yuan(value) : String(value);
  return text(value);
}

function csvLine(row: ExportValue[]): string {
  let line = csvCellOf(row[0]!, 0);
  for (let column = 1; column < row.length; column += 1) line += `,${csvCellOf(row[column]!, column)}`;
  return `${line}\n`;
}

/**
 * Writes the filtered history as CSV (UTF-8 with BOM, for Excel). A batch's write runs while the
 * next batch is read and formatted: awaiting each write before reading on left the loop idle for
 * a thread-pool round trip per batch (most of a 100k-row export's time with small batches).
 */
export async function writeHistoryCsv(
  history: HistoryRepository,
  filter: HistoryFilter,
  file: string,
): Promise<{ rows: number; bytes: number }> {
  const handle = await open(file, 'w', 0o600);
  let writing: Promise<unknown> = handle.write(`${BOM}${EXPORT_HEADER.map(csvCell).join(',')}\n`);
  let rows: number;
  try {
    rows = await forEachExportBatch(history, filter, async (batch) => {
      let chunk = '';
      for (const row of batch) chunk += csvLine(row);
      await writing;
      writing = handle.write(chunk);
    });
    await writing;
  } finally {
    // Never close under a write still in flight; its failure, if any, was thrown above.
    await writing.catch(() => undefined);
    await handle.close();
  }
  return { rows, bytes: (await stat(file)).size };
}
