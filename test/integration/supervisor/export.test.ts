import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { writeHistoryCsv } from '../../../electron/core/supervisor/csv-export';
import { ExportDesk } from '../../../electron/core/supervisor/export-desk';
import { ExportThread } from '../../../electron/core/supervisor/export-thread';
import { AMOUNT_COLUMN, EXPORT_BATCH_ROWS } from '../../../electron/core/supervisor/export-rows';
import { HistoryRepository } from '../../../electron/core/supervisor/history-repository';
import { writeHistoryXlsx } from '../../../electron/core/supervisor/xlsx-export';
import type { ExportStarted } from '../../../shared/domain/supervisor';
import { tempDir } from '../../support/temp';
import { parseCsv } from './csv';
import { addScans, addVerifiedCodes } from './rows';

let dir: ReturnType<typeof tempDir>;
let db: Db;
const T = Date.UTC(2026, 10, 1, 2, 0, 0);

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'e.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

describe('CSV export', () => {
  it('writes UTF-8 with a BOM, neutralises formulas and masks ID numbers', async () => {
    addScans(db, [
      {
        at: T,
        display: '=HYPERLINK("http://x")',
        orderId: '8000000000000000001',
        project: '+入园',
        state: 'verified',
        logid: 'L1',
      },
      {
        at: T + 1,
        display: '11010519491231002X',
        kind: 'id_card',
        orderId: '8000000000000000002',
        project: '@sum',
        state: 'queued',
      },
      { at: T + 2, display: '\tTAB0001', orderId: null, project: '-1+2' },
      { at: T + 3, display: '\rCR000001', orderId: null, project: '普通' },
    ]);
    const file = join(dir.path, 'out.csv');
    const { rows } = await writeHistoryCsv(new HistoryRepository(db), {}, file);
    expect(rows).toBe(4);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).not.toContain('11010519491231002X');
    const records = parseCsv(text.slice(1)) as string[][];
    expect(records[0]![0]).toBe('扫码时间 Scanned at (UTC+8)');
    const byCredential = new Map(records.slice(1).map((r) => [r[5], r]));
    expect(byCredential.get(`'=HYPERLINK("http://x")`)?.[7]).toBe(`'+入园`);
    expect(byCredential.get('110105********002X')?.[7]).toBe(`'@sum`);
    expect(byCredential.get(`'\tTAB0001`)?.[7]).toBe(`'-1+2`);
    expect(byCredential.has(`'\rCR000001`)).toBe(true);
    expect(byCredential.get(`'=HYPERLINK("http://x")`)?.[0]).toBe('2026-11-01 10:00:00');
    expect(byCredential.get(`'=HYPERLINK("http://x")`)?.[13]).toBe('L1');
    // Order ids open in Excel as the text they are, not as 8.00000000000000E+18 (defects issue, item 10).
    expect(byCredential.get(`'=HYPERLINK("http://x")`)?.[6]).toBe('="8000000000000000001"');
  });

  it('exports a date range across batches and hands it over in chunks, then removes the file', async () => {
    const n = EXPORT_BATCH_ROWS * 2 + 7;
    addVerifiedCodes(db, T, n);
    const desk = new ExportDesk(dir.path, db.name, () => T);
    const started = await desk.start({ from: T + 10, to: T + n - 10 });
    expect(started.rows).toBe(n - 20);
    expect(started.fileName).toBe('history-202611011000.csv');
    const text = (await pullExport(desk, started)).toString('utf8');
    expect(parseCsv(text.slice(1)).length).toBe(n - 20 + 1);
    expect(readdirSync(join(dir.path, 'exports'))).toEqual([]);
    await expect(desk.chunk(started.exportId, 0)).rejects.toMatchObject({ code: 'not_found' });
  });
});

// Above 2^53: as a number it would come back as 8000004478714900000.
const ORDER_ID = '8000004478714899970';
const ID_NUMBER = '11010519491231002X';

/** The exported file as the renderer puts it together: every chunk, in order. */
async function pullExport(desk: ExportDesk, started: ExportStarted): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < started.chunks; i += 1) parts.push(Buffer.from((await desk.chunk(started.exportId, i)).base64, 'base64'));
  return Buffer.concat(parts);
}

/**
 * The CSV armours cells for Excel (="…" around long digit runs, an apostrophe before a formula's
 * first character); an .xlsx string cell needs neither, so the CSV's value is the cell unarmoured.
 */
function unarmoured(cell: string): string {
  const digits = /^="(\d+)"$/.exec(cell);
  if (digits) return digits[1]!;
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** A sheet cell as the CSV writes it: numbers as digits (the amount in yuan with two decimals). */
function asCsv(value: unknown, column: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return column === AMOUNT_COLUMN ? value.toFixed(2) : String(value);
  return String(value);
}

async function bothExports(filter = {}) {
  const history = new HistoryRepository(db);
  const csvFile = join(dir.path, 'out.csv');
  const xlsxFile = join(dir.path, 'out.xlsx');
  const csv = await writeHistoryCsv(history, filter, csvFile);
  const xlsx = await writeHistoryXlsx(history, filter, xlsxFile);
  const csvRows = parseCsv(readFileSync(csvFile, 'utf8').slice(1)).map((r) => r.map(unarmoured));
  const [sheet] = await readXlsxFile(xlsxFile, { trim: false });
  const sheetRows = sheet!.data.map((r) => r.map(asCsv));
  return { csv, xlsx, csvRows, sheetRows, xlsxFile };
}

describe('.xlsx export (read back by read-excel-file, an independent reader)', () => {
  it('has the CSV rows cell for cell: Chinese text, a 19-digit order id as exact text, formulas as text, an amount as a number', async () => {
    addScans(db, [
      { at: T, display: 'TW1000000001', orderId: ORDER_ID, project: '成人门票', state: 'verified', logid: 'L1' },
      { at: T + 1, display: ID_NUMBER, kind: 'id_card', orderId: '8000004478714899971', project: '索道', state: 'queued' },
      { at: T + 2, display: '=HYPERLINK("http://x")', orderId: null, project: '+入园 <b>&</b>' },
      { at: T + 3, display: '\rCR000001', orderId: null, project: '普通\u0008 _x0041_ ', staff: '李四' },
      {
        at: T + 4,
        display: 'DYCOUPON01',
        kind: 'coupon',
        orderId: '8000004478714899972',
        project: '双人套票',
        state: 'verified',
        people: 2,
        amountFen: 12850,
      },
    ]);
    const { csv, xlsx, csvRows, sheetRows, xlsxFile } = await bothExports();
    expect(xlsx.rows).toBe(5);
    expect(csv.rows).toBe(5);
    expect(sheetRows).toEqual(csvRows);

    const [sheet] = await readXlsxFile(xlsxFile, { trim: false });
    const byCredential = new Map(sheet!.data.slice(1).map((r) => [r[5], r]));
    expect(byCredential.get('TW1000000001')?.[6]).toBe(ORDER_ID);
    expect(byCredential.get('TW1000000001')?.[7]).toBe('成人门票');
    expect(byCredential.get('=HYPERLINK("http://x")')?.[7]).toBe('+入园 <b>&</b>');
    expect(byCredential.get('\rCR000001')?.[2]).toBe('李四');
    expect(byCredential.get('\rCR000001')?.[7]).toBe('普通\u0008 _x0041_ ');
    expect(byCredential.get('DYCOUPON01')?.[17]).toBe(128.5);
    expect(byCredential.get('DYCOUPON01')?.[16]).toBe(2);
    expect(byCredential.has('110105********002X')).toBe(true);

    // Inside the zip: ids are inline-string cells, and the ID number is nowhere in clear.
    const parts = unzipSync(readFileSync(xlsxFile));
    const sheetXml = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    expect(sheetXml).toContain(`t="inlineStr"><is><t xml:space="preserve">${ORDER_ID}</t>`);
    for (const part of Object.values(parts)) expect(strFromU8(part)).not.toContain(ID_NUMBER);
  });

  it('a range over several batches comes out whole and in the CSV order, and the desk hands it over as .xlsx', async () => {
    const n = EXPORT_BATCH_ROWS * 2 + 7;
    addVerifiedCodes(db, T, n);
    const filter = { from: T + 10, to: T + n - 10 };
    const { xlsx, csvRows, sheetRows } = await bothExports(filter);
    expect(xlsx.rows).toBe(n - 20);
    expect(sheetRows).toHaveLength(n - 20 + 1);
    expect(sheetRows).toEqual(csvRows);

    const desk = new ExportDesk(dir.path, db.name, () => T);
    const started = await desk.start(filter, 'xlsx');
    expect(started).toMatchObject({ rows: n - 20, fileName: 'history-202611011000.xlsx' });
    const [sheet] = await readXlsxFile(await pullExport(desk, started), { trim: false });
    expect(sheet!.data.map((r) => r.map(asCsv))).toEqual(csvRows);
  });
});

describe('the export thread', () => {
  /** The export files in the desk's folder and their sizes, read synchronously. */
  const exportFiles = () => {
    const exportsDir = join(dir.path, 'exports');
    return existsSync(exportsDir) ? readdirSync(exportsDir).map((name) => statSync(join(exportsDir, name)).size) : [];
  };

  it('writes while the core’s event loop is held: the export does not run on it', { timeout: 60_000 }, async () => {
    const n = EXPORT_BATCH_ROWS * 2 + 7;
    addVerifiedCodes(db, T, n);
    const desk = new ExportDesk(dir.path, db.name, () => T);
    const exporting = desk.start({});
    // Hold this thread synchronously, as a long scan-path call would: on this loop an export
    // could not even open its file, so a file growing meanwhile is written elsewhere.
    const deadline = Date.now() + 45_000;
    let sizes = exportFiles();
    while (!(sizes[0]! > 100_000) && Date.now() < deadline) sizes = exportFiles();
    expect(sizes[0]).toBeGreaterThan(100_000);
    expect((await exporting).rows).toBe(n);
    await desk.close();
  });

  it('a close stops a running export at its next batch and leaves no file', async () => {
    addVerifiedCodes(db, T, EXPORT_BATCH_ROWS * 2 + 7);
    const desk = new ExportDesk(dir.path, db.name, () => T);
    // Asked to stop before its thread has started: it stops after its first batch, not at the end.
    const stopped = expect(desk.start({}, 'xlsx')).rejects.toMatchObject({ code: 'recovering' });
    await desk.close();
    await stopped;
    expect(existsSync(join(dir.path, 'exports'))).toBe(false);
    await expect(desk.start({})).rejects.toMatchObject({ code: 'recovering' });
  });

  it('an export that fails says why and leaves no half-written file', async () => {
    const desk = new ExportDesk(dir.path, join(dir.path, 'no-such.db'), () => T);
    await expect(desk.start({})).rejects.toThrow(/export failed: .*(directory does not exist|unable to open)/i);
    expect(exportFiles()).toEqual([]);
  });
  it('the thread takes export after export: after a failed one, two sent together in turn, and at close stops both the running and the queued', async () => {
    addVerifiedCodes(db, T, 30);
    const thread = new ExportThread();
    const job = (name: string, database = db.name) =>
      thread.run({ database, filter: {}, format: 'csv', file: join(dir.path, name) }).reply;
    await expect(job('a.csv', join(dir.path, 'no-such.db'))).resolves.toMatchObject({ error: expect.any(String) });
    // Sent together: the second waits for the first on the same thread; both are whole.
    const [b, c] = await Promise.all([job('b.csv'), job('c.csv')]);
    expect(b).toEqual({ done: { rows: 30, bytes: statSync(join(dir.path, 'b.csv')).size } });
    expect(c).toEqual(b);
    expect(readFileSync(join(dir.path, 'c.csv'), 'utf8')).toBe(readFileSync(join(dir.path, 'b.csv'), 'utf8'));
    // Queued behind a running export when the thread closes: stopped without being started.
    addVerifiedCodes(db, T + 1_000, EXPORT_BATCH_ROWS * 2);
    const running = job('d.csv');
    const queued = job('e.csv');
    await thread.close();
    expect(await running).toEqual({ stopped: true });
    expect(await queued).toEqual({ stopped: true });
    expect(existsSync(join(dir.path, 'e.csv'))).toBe(false);
  });

  it('a thread that dies under an export fails that export, and the next one starts a thread anew', async () => {
    // A thread that ends on every job without answering: what an out-of-memory end looks like.
    const script = `import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(7));`;
    const died = new ExportThread({ file: new URL(`data:text/javascript,${encodeURIComponent(script)}`), execArgv: [] });
    const job = { database: db.name, filter: {}, format: 'csv' as const, file: join(dir.path, 'x.csv') };
    expect(await died.run(job).reply).toEqual({ error: 'the export thread ended (code 7) without an answer' });
    expect(await died.run(job).reply).toEqual({ error: 'the export thread ended (code 7) without an answer' });
    await died.close();
  });
});
