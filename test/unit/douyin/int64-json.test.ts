import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingInt64, quoteUnsafeIntegers, stringifyWithInt64 } from '../../../electron/core/douyin/int64-json';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/douyin/${name}`, import.meta.url), 'utf8');

describe('parseJsonKeepingInt64', () => {
  it('keeps the seed sample code digit for digit and leaves safe numbers alone', () => {
    const parsed = parseJsonKeepingInt64(fixture('verify-response-success.json')) as {
      data: { verify_results: { code: unknown }[] };
      extra: { now: unknown; logid: unknown };
    };
    expect(parsed.data.verify_results[0]!.code).toBe('6822424580978342000');
    expect(parsed.extra.now).toBe(1733565487);
    expect(parsed.extra.logid).toBe('202412071758071D5ED8290E6EAD140594');
  });

  it('keeps digits a double would change', () => {
    // 6822424580978342001 rounds to …2000 as a double: the sample value hides the bug.
    expect(parseJsonKeepingInt64('{"a":6822424580978342001,"b":-9223372036854775808}')).toEqual({
      a: '6822424580978342001',
      b: '-9223372036854775808',
    });
  });

  it('never touches digits inside strings, including escaped quotes', () => {
    const text = '{"s":"x\\" 12345678901234567890 \\"","n":12345678901234567890}';
    expect(parseJsonKeepingInt64(text)).toEqual({ s: 'x" 12345678901234567890 "', n: '12345678901234567890' });
  });

  it('leaves floats and safe integers as numbers', () => {
    // Non-integers are ordinary doubles, precision loss included: the parser must not touch them.
    expect(parseJsonKeepingInt64('[9007199254740991, 1.5e300, 12345678901234567.5, 0, -1]')).toEqual([
      // eslint-disable-next-line no-loss-of-precision
      9007199254740991, 1.5e300, 12345678901234567.5, 0, -1,
    ]);
  });

  it('still rejects text that is not JSON', () => {
    expect(() => parseJsonKeepingInt64('<html>502</html>')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingInt64('{"data": {"verify_results": [{"code": 68224245809')).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on any JSON, except that unsafe integers become their digits', () => {
    // JSON.stringify prints integers below 1e21 in full, so String(v) is the literal's text.
    const expected = (text: string) =>
      JSON.parse(text, (_key, v: unknown) =>
        typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && Math.abs(v) < 1e21 ? String(v) : v,
      ) as unknown;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonKeepingInt64(text)).toEqual(expected(text));
      }),
    );
  });

  it('changes nothing in text without unsafe integers', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !/\d{16}/.test(JSON.stringify(v))),
        (value) => {
          const text = JSON.stringify(value);
          expect(quoteUnsafeIntegers(text)).toBe(text);
        },
      ),
    );
  });

  it('round-trips any int64 through stringifyWithInt64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.string(), (n, s) => {
        const text = stringifyWithInt64({ n, s });
        const back = parseJsonKeepingInt64(text) as { n: unknown; s: unknown };
        expect(String(back.n)).toBe(n.toString());
        expect(back.s).toBe(s);
      }),
    );
  });
});
