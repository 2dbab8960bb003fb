import { open, stat } from 'node:fs/promises';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { HistoryFilter } from '../../../shared/domain/history';
import { AMOUNT_COLUMN, EXPORT_HEADER, forEachExportBatch, type ExportValue } from './export-rows';
import type { HistoryRepository } from './history-repository';

/*
 * The smallest workbook Excel, WPS and LibreOffice open (ECMA-376 SpreadsheetML): content
 * types, the package and workbook relations, one workbook with one sheet, and styles holding the
 * one number format the amount needs. Strings are inline (no shared-string table to hold in
 * memory), so the sheet streams row by row into the zip.
 */
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const STATIC_PARTS: [string, string][] = [
  [
    '[Content_Types].xml',
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '</Types>',
  ],
  [
    '_rels/.rels',
    `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    'xl/workbook.xml',
    `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="history" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    `${XML}<Relationships xmlns="${PKG_REL}">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  ],
  [
    // Style 1 is the built-in number format 2 ("0.00"): the amount in yuan, still a number to sum.
    'xl/styles.xml',
    `${XML}<styleSheet xmlns="${NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
      '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
  ],
];

// The header row stays in view while scrolling.
const SHEET_HEAD =
  `${XML}<worksheet xmlns="${NS}"><sheetViews><sheetView workbookViewId="0">` +
  '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

const COLUMN_LETTERS = EXPORT_HEADER.map((_, i) => String.fromCharCode(65 + i));

const hex4 = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * A cell's text (ECMA-376 ST_Xstring in XML 1.0): markup characters escaped, CR as a character
 * reference (a parser would read a raw one as a line feed), the control characters XML cannot
 * carry as _xHHHH_, and a literal _xHHHH_ escaped itself (_x005F_) so it is not read as one.
 */
function xmlText(value: string): string {
  // The control characters are what this escapes.
  // eslint-disable-next-line no-control-regex
  return value.replace(/_x[0-9a-f]{4}_|[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/gi, (m) =>
    m.length > 1
      ? `_x005F${m}`
      : m === '&'
        ? '&amp;'
        : m === '<'
          ? '&lt;'
          : m === '>'
            ? '&gt;'
            : m === '\r'
              ? '&#13;'
              : `_x${hex4(m)}_`,
  );
}

/** A string is an inline-string cell, never a formula, so an id of 19 digits stays exactly that text. */
function cellXml(value: ExportValue, column: number, row: number): string {
  const ref = `${COLUMN_LETTERS[column]}${row}`;
  if (value === null) return '';
  if (typeof value === 'number') {
    return column === AMOUNT_COLUMN ? `<c r="${ref}" s="1"><v>${value / 100}</v></c>` : `<c r="${ref}"><v>${value}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
}

function rowXml(values: readonly ExportValue[], row: number): string {
  let xml = `<row r="${row}">`;
  for (let column = 0; column < values.length; column += 1) xml += cellXml(values[column]!, column, row);
  return `${xml}</row>`;
}

/**
 * Writes the filtered history as an .xlsx workbook with the CSV's columns and rows, from the same
 * row source. The sheet is deflated batch by batch (fflate, a few ms per batch) and each batch's
 * bytes are written while the next batch is read, as for the CSV.
 */
export async function writeHistoryXlsx(
  history: HistoryRepository,
  filter: HistoryFilter,
  file: string,
  signal?: AbortSignal,
): Promise<{ rows: number; bytes: number }> {
  const handle = await open(file, 'w', 0o600);
  let writing: Promise<unknown> = Promise.resolve();
  let zipped: Uint8Array[] = [];
  let failure: Error | null = null;
  const flush = async () => {
    if (failure) throw failure;
    const chunk = Buffer.concat(zipped);
    zipped = [];
    await writing;
    writing = handle.write(chunk);
  };
  let rows: number;
  try {
    const zip = new Zip((error, data) => {
      if (error) failure = error;
      else zipped.push(data);
    });
    for (const [name, xml] of STATIC_PARTS) {
      const part = new ZipDeflate(name, { level: 6 });
      zip.add(part);
      part.push(strToU8(xml), true);
    }
    // Added last: the parts before it are complete, so the sheet's bytes go out as they come.
    const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
    zip.add(sheet);
    sheet.push(strToU8(SHEET_HEAD + rowXml(EXPORT_HEADER, 1)));
    let next = 2;
    rows = await forEachExportBatch(
      history,
      filter,
      async (batch) => {
        let xml = '';
        for (const values of batch) xml += rowXml(values, next++);
        sheet.push(strToU8(xml));
        await flush();
      },
      signal,
    );
    sheet.push(strToU8(SHEET_TAIL), true);
    zip.end();
    await flush();
    await writing;
  } finally {
    await writing.catch(() => undefined);
    await handle.close();
  }
  return { rows, bytes: (await stat(file)).size };
}
