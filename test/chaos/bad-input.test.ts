import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import { ScanAnswer } from '../../shared/domain/scan';
import { ImportReport } from '../../shared/domain/vouchers';
import { channels, contract, type Channel } from '../../shared/ipc/contract';
import { ErrorCode, type Result } from '../../shared/ipc/result';
import { parseScan, ParsedScan } from '../../shared/scan/parse';
import { parseVoucherFile } from '../../shared/vouchers/file';
import { startHarness, type Harness } from '../support/core-harness';
import { chaosOrders, FULL, report, SEED } from './support/config';
import { tableCounts } from './support/db';

const RUNS = FULL ? 300 : 40;
const SESSION = 'x'.repeat(32);
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * One schema-valid input per channel, for near-valid mutations. A channel added without a sample
 * is still fuzzed with arbitrary values; the report counts how many had one.
 */
const SAMPLES: Partial<Record<Channel, Record<string, unknown>>> = {
  'app.status': {},
  'queue.wake': {},
  'scan.submit': { raw: '8200000000000000001', source: 'scanner' },
  'scan.recent': { limit: 20 },
  'vouchers.import': { text: '{}' },
  'vouchers.pull': {},
  'vouchers.summary': {},
  'supervisor.auth': {},
  'supervisor.pin.set': { pin: '135791' },
  'supervisor.pin.change': { session: SESSION, pin: '246802' },
  'supervisor.unlock': { pin: '0000' },
  'supervisor.touch': { session: SESSION },
  'supervisor.lock': { session: SESSION },
  'supervisor.history': { session: SESSION, filter: {}, limit: 50 },
  'supervisor.history.attempts': { session: SESSION, scanId: 1 },
  'supervisor.queue': { session: SESSION },
  'supervisor.queue.retry': { session: SESSION, outboxId: 1 },
  'supervisor.queue.handled': { session: SESSION, outboxId: 1, note: 'checked by hand' },
  'supervisor.shift.current': { session: SESSION },
  'supervisor.shift.close': { session: SESSION },
  'supervisor.printReport': { session: SESSION },
  'supervisor.export.start': { session: SESSION, filter: {} },
  'supervisor.export.chunk': { session: SESSION, exportId: 'abcdefgh12', index: 0 },
  'supervisor.settings': { session: SESSION },
  'supervisor.settings.save': { session: SESSION, settings: { windowName: 'Gate 1' }, credentials: {} },
  'supervisor.audit': { session: SESSION, limit: 10 },
  'system.openLogFolder': { session: SESSION },
};

const oddValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    undefined,
    Number.NaN,
    Infinity,
    -Infinity,
    -0,
    1e308,
    2 ** 53 + 1,
    '',
    ' ',
    '\u0000',
    '\uFEFF',
    '\uD800',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map((n) => String(n)),
  fc.nat(20_000).map((n) => 'A'.repeat(n)),
  fc.constant(Object.create(null) as object),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
);

/** A valid input, bent one way: a key dropped, added, retyped, or the whole thing wrapped. */
function nearValid(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  const variants: fc.Arbitrary<unknown>[] = [
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'toString', 'session', 'raw'), oddValue).map(([k, v]) => {
      const copy: Record<string, unknown> = { ...sample };
      Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
      return copy;
    }),
    fc.constantFrom([sample], JSON.stringify(sample), { input: sample }),
  ];
  if (keys.length > 0) {
    variants.push(
      fc.constantFrom(...keys).map((k) => {
        const copy = { ...sample };
        delete copy[k];
        return copy;
      }),
      fc.tuple(fc.constantFrom(...keys), oddValue).map(([k, v]) => ({ ...sample, [k]: v })),
    );
  }
  return fc.oneof(...variants);
}

const withoutAudit = ({ audit_log: _audit, ...rest }: Record<string, number>) => rest;

let h: Harness;
/** A real supervisor session: the voucher import is a supervisor's action. */
let session = '';
const figures: Record<string, number> = {};
const internals: string[] = [];

beforeAll(async () => {
  h = await startHarness({ orders: chaosOrders(5, '84') });
  h.core.settings.update({ answerBudgetMs: 500 });
  session = (await h.core.routes['supervisor.pin.set']({ pin: '975311' })).token;
});

/** The sample as the channel wants it today: with a session if the channel asks for one. */
function sampleFor(channel: Channel): Record<string, unknown> | undefined {
  const sample = SAMPLES[channel];
  if (!sample || contract[channel].input.safeParse(sample).success) return sample;
  return { ...sample, session: SESSION };
}
afterAll(async () => h?.close());

/** The properties every answer of dispatch must have, whatever came in. */
async function checkDispatch(channel: string, input: unknown): Promise<Result<unknown>> {
  const before = tableCounts(h.core.db);
  let result: Result<unknown>;
  try {
    result = await dispatch(h.core.routes, channel, input);
  } catch (error) {
    throw new Error(`dispatch threw on ${channel}: ${String(error)}`, { cause: error });
  }
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(ErrorCode.options).toContain(result.error.code);
    expect(result.error.message.length).toBeGreaterThan(0);
    if (result.error.code === 'internal') internals.push(`${channel}: ${JSON.stringify(input)?.slice(0, 200)}`);
    // A rejected input wrote nothing anywhere.
    if (result.error.code === 'bad_input') expect(tableCounts(h.core.db)).toEqual(before);
  }
  return result;
}

function unknownChannelIsRefused() {
  return dispatch(h.core.routes, '__proto__', {}).then((r) => !r.ok && r.error.code === 'unknown_channel');
}

/** Text as a scanner or a file might deliver it: wrong encodings, BOMs, control bytes. */
const mangledText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s, 'latin1').toString('utf8')),
  fc.string({ unit: 'grapheme', maxLength: 100 }).map((s) => Buffer.from(s, 'utf16le').toString('utf8')),
  fc.string({ unit: 'grapheme', maxLength: 100 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
  fc.string({ maxLength: 100 }).map((s) => `\uFEFF${s}`),
  fc.constantFrom(
    '\uFEFF8200000000000000001',
    '8200000000000000001\r\n',
    '８２００００００００００００００００００１',
    'https://v.douyin.com/abc/',
    '11010519491231002X',
  ),
);

describe('bad input to the parsers', () => {
  it('the scan parser is total over mangled text and answers with a valid ParsedScan', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mangledText,
          fc.nat(100_000).map((n) => '9'.repeat(n)),
        ),
        (raw) => {
          const parsed = parseScan(raw);
          expect(ParsedScan.safeParse(parsed).success).toBe(true);
        },
      ),
      { numRuns: RUNS * 10, seed: SEED },
    );
  });

  it('scan.submit answers mangled scans with a valid answer and keeps no record of noise', async () => {
    let noise = 0;
    await fc.assert(
      fc.asyncProperty(
        mangledText.map((s) => s.slice(0, 4096)),
        async (raw) => {
          const before = tableCounts(h.core.db);
          const result = await checkDispatch('scan.submit', { raw, source: 'keyboard' });
          expect(result.ok).toBe(true);
          const answer = ScanAnswer.parse((result as { value: unknown }).value);
          if (answer.reason === 'invalid_input' || answer.reason === 'unsupported') {
            noise += 1;
            expect(answer.scanId).toBeNull();
            expect(tableCounts(h.core.db)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS * 2, seed: SEED },
    );
    figures.chaos_fuzz_scan_noise = noise;
  });

  it('the voucher import refuses broken files whole, writes nothing for them, and is idempotent', async () => {
    const goodLine = (orderId: string, code: string) =>
      JSON.stringify({
        order_id: orderId,
        multi_store: false,
        visit_date: TODAY,
        voucher: { entrance: { project_id: 'a0', name: '门票', certificate_nos: [code] }, projects: [] },
      });
    const lineArb = fc.oneof(
      fc.nat(9999).map((n) => goodLine(`84${String(n).padStart(17, '0')}`, `TWF${String(n).padStart(8, '0')}`)),
      // JSON with odd types where strings, booleans and arrays belong.
      fc
        .tuple(fc.nat(9999), fc.constantFrom('order_id', 'multi_store', 'visit_date', 'voucher'), oddValue)
        .map(([n, key, value]) => {
          const line = JSON.parse(goodLine(`84${String(n).padStart(17, '0')}`, `TWF${String(n).padStart(8, '0')}`)) as Record<
            string,
            unknown
          >;
          line[key] = value;
          return JSON.stringify(line) ?? '';
        }),
      mangledText,
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constant(`{"order_id":"${'8'.repeat(19)}","pad":"${'x'.repeat(70 * 1024)}"}`),
    );
    const fileArb = fc
      .tuple(fc.array(lineArb, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
      .map(([lines, eol, bom]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}`);
    let refused = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (text) => {
        expect(() => parseVoucherFile(text)).not.toThrow();
        const before = tableCounts(h.core.db);
        const result = await checkDispatch('vouchers.import', { session, text });
        if (!result.ok) {
          // Only the channel's own limits (an empty text) may stop a file before the parser.
          expect(result.error.code).toBe('bad_input');
          refused += 1;
          return;
        }
        const imported = ImportReport.parse((result as { value: unknown }).value);
        if (!imported.ok) {
          refused += 1;
          // The refusal itself is audited (a supervisor's action); the data is untouched.
          expect(withoutAudit(tableCounts(h.core.db))).toEqual(withoutAudit(before));
        } else {
          accepted += 1;
          const again = ImportReport.parse(
            ((await checkDispatch('vouchers.import', { session, text })) as { value: unknown }).value,
          );
          expect(again).toEqual({ ok: true, orders: imported.orders, changed: 0 });
        }
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
    figures.chaos_fuzz_voucher_files_refused = refused;
    figures.chaos_fuzz_voucher_files_accepted = accepted;

    // Duplicate orders: an identical repeat is dropped; a conflicting one refuses the file.
    const a = goodLine('8400000000000077777', 'TWD00000001');
    const same = ImportReport.parse(
      ((await checkDispatch('vouchers.import', { session, text: `${a}\n${a}\n` })) as { value: unknown }).value,
    );
    expect(same).toMatchObject({ ok: true, orders: 1 });
    const before = tableCounts(h.core.db);
    const conflicting = `${a}\n${goodLine('8400000000000077777', 'TWD00000002')}\n`;
    const refusedDup = ImportReport.parse(
      ((await checkDispatch('vouchers.import', { session, text: conflicting })) as { value: unknown }).value,
    );
    expect(refusedDup.ok).toBe(false);
    expect(JSON.stringify(refusedDup)).toContain('duplicate_order');
    expect(withoutAudit(tableCounts(h.core.db))).toEqual(withoutAudit(before));
  });
});

describe('bad input through dispatch, on a real core', () => {
  it('every channel answers arbitrary values with a Result, never a crash, and writes nothing for bad_input', async () => {
    let badInput = 0;
    let calls = 0;
    for (const channel of channels) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }), oddValue),
          async (input) => {
            calls += 1;
            const result = await checkDispatch(channel, input);
            if (!result.ok && result.error.code === 'bad_input') badInput += 1;
            // Anything that is not an object at all can never pass a channel's schema.
            if (input === null || typeof input !== 'object' || Array.isArray(input)) {
              expect(result.ok ? 'ok' : result.error.code).toBe('bad_input');
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    }
    figures.chaos_fuzz_channels = channels.length;
    figures.chaos_fuzz_arbitrary_calls = calls;
    figures.chaos_fuzz_arbitrary_bad_input = badInput;
  });

  it('near-valid inputs (a key dropped, added, retyped) are refused as bad_input or handled, never crash', async () => {
    let calls = 0;
    let sampled = 0;
    for (const channel of channels) {
      const sample = sampleFor(channel);
      if (!sample) continue;
      sampled += 1;
      // The sample itself must pass the schema, or its mutations are not "near valid".
      expect(contract[channel].input.safeParse(sample).success, `${channel} sample`).toBe(true);
      await fc.assert(
        fc.asyncProperty(nearValid(sample), async (input) => {
          calls += 1;
          await checkDispatch(channel, input);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }
    figures.chaos_fuzz_channels_with_samples = sampled;
    figures.chaos_fuzz_near_valid_calls = calls;
    expect(unknownChannelIsRefused()).toBeTruthy();
  });

  it('no route failed with an internal error on any input', () => {
    figures.chaos_fuzz_internal_errors = internals.length;
    expect(internals).toEqual([]);
  });
  it('reports', () => {
    report('chaos: bad input', figures);
  });
});
