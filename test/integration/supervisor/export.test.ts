import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { ExportDesk, EXPORT_BATCH_ROWS, writeHistoryCsv } from '../../../electron/core/supervisor/csv-export';
import { HistoryRepository } from '../../../electron/core/supervisor/history-repository';
import { tempDir } from '../../support/temp';
import { parseCsv } from './csv';
import { addScans } from './rows';

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
    addScans(
      db,
      Array.from({ length: n }, (_, i) => ({
        at: T + i,
        display: `CODE${String(i).padStart(6, '0')}`,
        state: 'verified' as const,
      })),
    );
    const desk = new ExportDesk(dir.path, new HistoryRepository(db), () => T);
    const started = await desk.start({ from: T + 10, to: T + n - 10 });
    expect(started.rows).toBe(n - 20);
    expect(started.fileName).toBe('history-202611011000.csv');
    const parts: Buffer[] = [];
    for (let i = 0; i < started.chunks; i += 1) parts.push(Buffer.from((await desk.chunk(started.exportId, i)).base64, 'base64'));
    const text = Buffer.concat(parts).toString('utf8');
    expect(parseCsv(text.slice(1)).length).toBe(n - 20 + 1);
    expect(readdirSync(join(dir.path, 'exports'))).toEqual([]);
    await expect(desk.chunk(started.exportId, 0)).rejects.toMatchObject({ code: 'not_found' });
  });
});
