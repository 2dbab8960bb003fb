import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScan } from '../../../shared/scan/parse';
import {
  MAX_FILE_BYTES,
  MAX_LINE_BYTES,
  MAX_REPORTED_ERRORS,
  VoucherErrorKey,
  parseVoucherFile,
  voucherCredentials,
  type VoucherFileResult,
  type VoucherOrderInput,
} from '../../../shared/vouchers/file';
import { referenceCheckChar } from '../scan/arbitraries';

const ID = '11010519491231002X';

function order(overrides: Partial<VoucherOrderInput> = {}): VoucherOrderInput {
  return {
    order_id: '8000004478714899970',
    multi_store: false,
    visit_date: '2024-02-29',
    voucher: {
      entrance: { project_id: '1', id_cards: [ID], qrcodes: ['qr_code1_0967'], certificate_nos: ['a_0967'] },
      projects: [{ project_id: '2', name: '索道A', qrcodes: ['qr_code2_0967'] }],
    },
    ...overrides,
  };
}

const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

function errorsOf(result: VoucherFileResult) {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors.map(({ line, key, params }) => ({ line, key, params }));
}

describe('parseVoucherFile accepts', () => {
  it('a file with a BOM, CRLF line ends and blank lines', () => {
    const text =
      '\uFEFF' +
      [
        JSON.stringify(order()),
        '',
        '   ',
        JSON.stringify(order({ order_id: '1', voucher: { entrance: { project_id: 'a0' } } })),
      ].join('\r\n') +
      '\r\n';
    const result = parseVoucherFile(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.orders.map((o) => o.order_id)).toEqual(['8000004478714899970', '1']);
    expect(result.orders[1]?.voucher).toEqual({
      entrance: { project_id: 'a0', id_cards: [], qrcodes: [], certificate_nos: [], credentials: [] },
      projects: [],
    });
  });

  it('the documented misspelling qrcords, merged with qrcodes', () => {
    const result = parseVoucherFile(
      jsonl(order({ voucher: { entrance: { project_id: '1', qrcords: ['QR-B', 'QR-A'], qrcodes: ['QR-A'] } } })),
    );
    expect(result.ok && result.orders[0]?.voucher.entrance.qrcodes).toEqual(['QR-A', 'QR-B']);
  });

  it('identical repeats of an order, keeping one', () => {
    const result = parseVoucherFile(jsonl(order(), order()));
    expect(result.ok && result.orders).toHaveLength(1);
  });

  it("a code that reads as the order's own id", () => {
    const result = parseVoucherFile(
      jsonl(order({ voucher: { entrance: { project_id: '1', qrcodes: ['8000004478714899970'] } } })),
    );
    expect(result.ok).toBe(true);
  });

  it('poi_id with multi_store', () => {
    expect(parseVoucherFile(jsonl(order({ multi_store: true, poi_id: '6601125808923444231' }))).ok).toBe(true);
  });
});

describe('parseVoucherFile refuses', () => {
  it('an ID number with a wrong check digit, without quoting it', () => {
    const bad = ID.slice(0, 17) + '1';
    const result = parseVoucherFile(
      jsonl(
        order(),
        order({
          order_id: '2',
          voucher: { entrance: { project_id: '1', id_cards: [ID, bad] } },
        }),
      ),
    );
    expect(errorsOf(result)).toEqual([{ line: 2, key: 'id_checksum', params: { path: 'voucher.entrance.id_cards[1]' } }]);
    expect(JSON.stringify(result)).not.toContain(bad);
  });

  it('an impossible visit date and a missing poi_id for a multi-store ticket', () => {
    expect(errorsOf(parseVoucherFile(jsonl(order({ visit_date: '2023-02-29' }))))).toEqual([
      { line: 1, key: 'bad_date', params: { path: 'visit_date' } },
    ]);
    expect(errorsOf(parseVoucherFile(jsonl(order({ multi_store: true }))))).toEqual([
      { line: 1, key: 'poi_id_required', params: { path: 'poi_id' } },
    ]);
  });

  it('the same order id with different content', () => {
    const result = parseVoucherFile(jsonl(order(), '', order({ visit_date: '2024-03-01' })));
    expect(errorsOf(result)).toEqual([
      { line: 3, key: 'duplicate_order', params: { orderId: '8000004478714899970', firstLine: 1 } },
    ]);
  });

  it('one code claimed by two orders', () => {
    const other = order({ order_id: '2', voucher: { entrance: { project_id: '1', certificate_nos: ['qr_code1_0967'] } } });
    expect(errorsOf(parseVoucherFile(jsonl(order(), other)))).toEqual([
      {
        line: 2,
        key: 'code_conflict',
        params: { kind: 'certificate_no', code: 'qr_code1_0967', otherOrderId: '8000004478714899970', otherLine: 1 },
      },
    ]);
  });

  it('codes no scan could produce', () => {
    const result = parseVoucherFile(
      jsonl(
        order({
          voucher: {
            entrance: { project_id: '1', certificate_nos: ['110105194912310021', 'https://v.douyin.com/x/', 'ab'] },
            projects: [{ project_id: '2', qrcodes: ['1000000000000000001'] }],
          },
        }),
      ),
    );
    expect(errorsOf(result)).toEqual([
      { line: 1, key: 'code_unscannable', params: { path: 'voucher.entrance.certificate_nos[0]', reason: 'id_checksum' } },
      { line: 1, key: 'code_unscannable', params: { path: 'voucher.entrance.certificate_nos[1]', reason: 'douyin_groupbuy' } },
      { line: 1, key: 'code_unscannable', params: { path: 'voucher.entrance.certificate_nos[2]', reason: 'too_short' } },
    ]);
    const otherOrder = parseVoucherFile(
      jsonl(
        order({
          voucher: { entrance: { project_id: '1' }, projects: [{ project_id: '2', qrcodes: ['1000000000000000001'] }] },
        }),
      ),
    );
    expect(errorsOf(otherOrder)).toEqual([
      { line: 1, key: 'code_is_other_order', params: { path: 'voucher.projects[0].qrcodes[0]' } },
    ]);
  });

  it('wrong types, missing and unknown fields, with a path for each', () => {
    // A JSON number is exactly what the file must not carry for an id: it loses digits.
    const line = {
      // eslint-disable-next-line no-loss-of-precision
      order_id: 8000004478714899970,
      visit_date: '2024-01-01',
      voucher: { entrance: { project_id: '1', qrcode: ['x'] } },
    };
    expect(errorsOf(parseVoucherFile(jsonl(line)))).toEqual([
      { line: 1, key: 'wrong_type', params: { path: 'order_id', expected: 'string' } },
      { line: 1, key: 'missing_field', params: { path: 'multi_store' } },
      { line: 1, key: 'unknown_field', params: { path: 'voucher.entrance', fields: 'qrcode' } },
    ]);
  });

  it('lines that are not JSON objects', () => {
    expect(errorsOf(parseVoucherFile(jsonl(order(), '{', '[1]', 'null', '"x"')))).toEqual([
      { line: 2, key: 'bad_json', params: {} },
      { line: 3, key: 'wrong_type', params: { path: 'order', expected: 'object' } },
      { line: 4, key: 'wrong_type', params: { path: 'order', expected: 'object' } },
      { line: 5, key: 'wrong_type', params: { path: 'order', expected: 'object' } },
    ]);
  });

  it('a line over the size cap, without parsing it', () => {
    const huge = JSON.stringify(order({ voucher: { entrance: { project_id: '1', name: '长'.repeat(MAX_LINE_BYTES / 3) } } }));
    expect(errorsOf(parseVoucherFile(jsonl(order(), huge)))).toEqual([
      { line: 2, key: 'line_too_long', params: { limitBytes: MAX_LINE_BYTES } },
    ]);
  });

  it('a file over the size cap, counted in UTF-8 bytes', () => {
    const wide = '中'.repeat(Math.floor(MAX_FILE_BYTES / 3) + 1);
    expect(errorsOf(parseVoucherFile(wide))).toEqual([
      { line: 0, key: 'file_too_large', params: { limitBytes: MAX_FILE_BYTES } },
    ]);
  });

  it('a file with no orders', () => {
    expect(errorsOf(parseVoucherFile(''))).toEqual([{ line: 0, key: 'file_empty', params: {} }]);
    expect(errorsOf(parseVoucherFile('\uFEFF\r\n \n'))).toEqual([{ line: 0, key: 'file_empty', params: {} }]);
  });

  it('with the first errors listed and all of them counted', () => {
    const result = parseVoucherFile(Array.from({ length: 120 }, () => 'nope').join('\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errorCount).toBe(120);
    expect(result.errors[MAX_REPORTED_ERRORS - 1]?.line).toBe(MAX_REPORTED_ERRORS);
    expect(result.errors[0]?.message).toBe('line 1: the line is not valid JSON');
  });
});

describe('voucherCredentials', () => {
  it('lists scan keys per project, ID numbers as id_card whatever field they sit in', () => {
    const result = parseVoucherFile(
      jsonl(
        order({
          voucher: {
            entrance: {
              project_id: '1',
              id_cards: ['11010519491231002x'],
              qrcodes: ['https://t.example.com/qr/QR1234', 'QR1234'],
            },
            projects: [
              {
                project_id: '2',
                name: '索道A',
                credentials: [
                  { credential_no: ID, credential_type: 1 },
                  { credential_no: 'C-77', credential_type: 2 },
                ],
              },
            ],
          },
        }),
      ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(voucherCredentials(result.orders[0]!)).toEqual([
      { kind: 'id_card', value: ID, projectId: '1', isEntrance: true },
      { kind: 'qrcode', value: 'QR1234', projectId: '1', isEntrance: true },
      { kind: 'id_card', value: ID, projectId: '2', projectName: '索道A', isEntrance: false },
      { kind: 'credential_no', value: 'C-77', projectId: '2', projectName: '索道A', isEntrance: false },
    ]);
  });
});

// ---- properties ----

const lineNumbersOf = (text: string) => text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;

function expectWellFormed(result: VoucherFileResult, text: string) {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  expect(result.errors.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS);
  expect(result.errorCount).toBeGreaterThanOrEqual(result.errors.length);
  for (const error of result.errors) {
    expect(VoucherErrorKey.safeParse(error.key).success).toBe(true);
    expect(error.line).toBeGreaterThanOrEqual(0);
    expect(error.line).toBeLessThanOrEqual(lineNumbersOf(text));
    expect(error.message).toMatch(/^(file|line \d+): /);
  }
}

describe('parseVoucherFile properties', () => {
  it('never throws on random bytes, and is deterministic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        const result = parseVoucherFile(text);
        expectWellFormed(result, text);
        expect(parseVoucherFile(text)).toEqual(result);
      }),
    );
  });

  it('gives every odd JSON line its own line-numbered error', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), (values) => {
        const text = values.map((v) => JSON.stringify(v)).join('\n');
        const result = parseVoucherFile(text);
        expectWellFormed(result, text);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const lines = new Set(result.errors.map((e) => e.line));
        values.forEach((_, i) => expect(lines.has(i + 1)).toBe(true));
      }),
    );
  });

  it('never throws on lines of random length and content', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.nat({ max: 3 * MAX_LINE_BYTES }).map((n) => '{'.repeat(n)),
          ),
          { maxLength: 5 },
        ),
        (lines) => {
          const text = lines.join('\n');
          expectWellFormed(parseVoucherFile(text), text);
        },
      ),
      { numRuns: 50 },
    );
  });

  const idNumber = fc
    .tuple(
      fc.integer({ min: 110000, max: 829999 }),
      fc.integer({ min: 1950, max: 2020 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([r, y, m, d, s]) => `${r}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(s).padStart(3, '0')}`)
    .map((body) => body + referenceCheckChar(body));
  // "Q1://x" is read as a URL by the scanner too, so the import rightly refuses it as a plain code.
  const codeSuffix = fc.stringMatching(/^[A-Za-z0-9_.:=/+-]{1,40}$/).filter((s) => !s.includes('://'));

  // Codes carry their order id so generated orders never share a code by accident.
  const validFile = fc.uniqueArray(fc.stringMatching(/^\d{19}$/), { minLength: 1, maxLength: 8 }).chain((ids) =>
    fc.tuple(
      ...ids.map((orderId) =>
        fc.record({
          order_id: fc.constant(orderId),
          multi_store: fc.constant(false),
          visit_date: fc.constant('2024-05-01'),
          voucher: fc.record({
            entrance: fc.record({
              project_id: fc.constant('1'),
              id_cards: fc.array(idNumber, { maxLength: 2 }),
              qrcords: fc.array(
                codeSuffix.map((s) => `Q${orderId}${s}`),
                { maxLength: 3 },
              ),
              certificate_nos: fc.array(
                codeSuffix.map((s) => `https://t.example.com/v?code=C${orderId}${encodeURIComponent(s)}`),
                { maxLength: 2 },
              ),
            }),
            projects: fc.array(
              fc.record({
                project_id: fc.constant('2'),
                name: fc.constant('索道A'),
                qrcodes: fc.array(
                  codeSuffix.map((s) => `P${orderId}${s}`),
                  { maxLength: 2 },
                ),
              }),
              { maxLength: 2 },
            ),
          }),
        }),
      ),
    ),
  );

  it('accepts generated valid files, and every indexed key is what a scan of it yields', () => {
    fc.assert(
      fc.property(validFile, (orders) => {
        const result = parseVoucherFile(jsonl(...orders));
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        expect(result.orders).toHaveLength(orders.length);
        for (const parsed of result.orders) {
          for (const { kind, value } of voucherCredentials(parsed)) {
            const scan = parseScan(value);
            expect(kind === 'id_card' ? scan : { kind: scan.kind, code: scan.kind === 'code' ? scan.code : '' }).toEqual(
              kind === 'id_card' ? { kind: 'id_card', idNumber: value } : { kind: 'code', code: value },
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses the whole file for one broken line, naming that line', () => {
    fc.assert(
      fc.property(validFile, fc.nat(), (orders, at) => {
        const lines = orders.map((o) => JSON.stringify(o));
        const broken = at % lines.length;
        lines[broken] = lines[broken]!.slice(0, -1);
        const result = parseVoucherFile(lines.join('\n'));
        expect(errorsOf(result).map((e) => e.line)).toEqual([broken + 1]);
      }),
      { numRuns: 100 },
    );
  });
});
