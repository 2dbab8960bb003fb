import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCAN_LENGTH, ParsedScan, ScanReason, parseScan } from '../../../shared/scan/parse';
import { codeText, controlChar, validIdNumber } from './arbitraries';

describe('parseScan examples', () => {
  it.each([
    ['8000004478714899970', { kind: 'order_id', orderId: '8000004478714899970' }],
    ['11010519491231002x', { kind: 'id_card', idNumber: '11010519491231002X' }],
    ['110105194912310021', { kind: 'invalid', reason: 'id_checksum' }],
    ['110105194902300012', { kind: 'invalid', reason: 'id_birth_date' }],
    ['qr_code1_0967', { kind: 'code', code: 'qr_code1_0967' }],
    ['\r\nqr_code1_0967\x1d\t', { kind: 'code', code: 'qr_code1_0967' }],
    ['ＱＲ１２３４', { kind: 'code', code: 'QR1234' }],
    ['', { kind: 'invalid', reason: 'empty' }],
    [' \r\n\t\x1d ', { kind: 'invalid', reason: 'empty' }],
    ['abc', { kind: 'invalid', reason: 'too_short' }],
    ['AB CD', { kind: 'invalid', reason: 'bad_chars' }],
    ['票号1234', { kind: 'invalid', reason: 'bad_chars' }],
    ['x'.repeat(MAX_SCAN_LENGTH + 1), { kind: 'invalid', reason: 'too_long' }],
    ['https://v.douyin.com/iRNBho6u/', { kind: 'unsupported', reason: 'douyin_groupbuy' }],
    ['v.douyin.com/iRNBho6u', { kind: 'unsupported', reason: 'douyin_groupbuy' }],
    ['HTTPS://V.DOUYIN.COM/abc?code=QR1234', { kind: 'unsupported', reason: 'douyin_groupbuy' }],
    ['https://user@v.douyin.com/x', { kind: 'unsupported', reason: 'douyin_groupbuy' }],
    [
      '7.43 复制打开抖音，看看【某景区门票】 https://v.douyin.com/iRNBho6u/ a@b.cn',
      { kind: 'unsupported', reason: 'douyin_groupbuy' },
    ],
    ['https://t.example.com/v?code=QR1234', { kind: 'code', code: 'QR1234', fromUrl: true }],
    ['https://t.example.com/v?from=app&qrcode=QR1234', { kind: 'code', code: 'QR1234', fromUrl: true }],
    ['https://t.example.com/v?certificate_no=a_0967', { kind: 'code', code: 'a_0967', fromUrl: true }],
    ['https://t.example.com/v?c=QR1234&code=BETTER', { kind: 'code', code: 'BETTER', fromUrl: true }],
    ['https://t.example.com/v?code=ab+cd/ef==', { kind: 'code', code: 'ab+cd/ef==', fromUrl: true }],
    ['https://t.example.com/v?code=ab%2Bcd', { kind: 'code', code: 'ab+cd', fromUrl: true }],
    ['https://t.example.com/#/verify?qrcode=QR1234', { kind: 'code', code: 'QR1234', fromUrl: true }],
    ['https://t.example.com/ticket/QR1234', { kind: 'code', code: 'QR1234', fromUrl: true }],
    ['https://t.example.com/v?code=8000004478714899970', { kind: 'code', code: '8000004478714899970', fromUrl: true }],
    ['https://t.example.com/about/us', { kind: 'invalid', reason: 'url_without_code' }],
    ['https://t.example.com/v?code=%E4%B8%AD%E6%96%87', { kind: 'invalid', reason: 'bad_chars' }],
    ['weixin://dl/business/?t=abc', { kind: 'invalid', reason: 'url_without_code' }],
    ['https://', { kind: 'invalid', reason: 'url_without_code' }],
  ])('%j', (raw, expected) => {
    expect(parseScan(raw)).toEqual(expected);
  });

  it('does not treat a query value that mentions douyin as a Douyin link', () => {
    expect(parseScan('https://t.example.com/v?code=QR1234&ref=douyin.com')).toEqual({
      kind: 'code',
      code: 'QR1234',
      fromUrl: true,
    });
  });

  it('accepts a code of exactly the maximum length', () => {
    const code = 'A'.repeat(MAX_SCAN_LENGTH);
    expect(parseScan(code)).toEqual({ kind: 'code', code });
  });

  it('exports every reason as a message key', () => {
    expect(ScanReason.options).toContain('douyin_groupbuy');
    expect(ScanReason.options).toContain('id_checksum');
  });
});

describe('parseScan properties', () => {
  it('reads every valid ID as an id_card, X in either case', () => {
    fc.assert(
      fc.property(validIdNumber, fc.boolean(), (id, lower) => {
        expect(parseScan(lower ? id.toLowerCase() : id)).toEqual({ kind: 'id_card', idNumber: id });
      }),
    );
  });

  it('answers id_checksum for any wrong check character', () => {
    fc.assert(
      fc.property(validIdNumber, fc.constantFrom(...'0123456789Xx'), (id, check) => {
        fc.pre(check.toUpperCase() !== id.charAt(17));
        expect(parseScan(id.slice(0, 17) + check)).toEqual({ kind: 'invalid', reason: 'id_checksum' });
      }),
    );
  });

  it('reads any 19 digits as an order id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{19}$/), (digits) => {
        expect(parseScan(digits)).toEqual({ kind: 'order_id', orderId: digits });
      }),
    );
  });

  const scannerish = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.constantFrom(
          'https://',
          'http://',
          'v.douyin.com',
          'douyin.com',
          '/',
          '?',
          '#',
          '&',
          'code=',
          'qr/',
          '%',
          '%2B',
          '+',
          '=',
          '1',
          '0',
          'X',
          'x',
          ' ',
          '\u3000',
          '１',
          '\r',
          '\x1d',
          '\u200b',
          '\ud800',
        ),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('never throws and always answers a valid ParsedScan', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), scannerish, fc.string({ unit: 'binary', minLength: 500, maxLength: 700 })),
        (raw) => {
          const result = parseScan(raw);
          expect(ParsedScan.safeParse(result).success).toBe(true);
          expect(parseScan(raw)).toEqual(result);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('ignores control characters wherever the scanner puts them', () => {
    fc.assert(
      fc.property(codeText, fc.array(fc.tuple(fc.nat(), controlChar), { maxLength: 10 }), (code, noise) => {
        let noisy = code;
        for (const [at, c] of noise) {
          const i = at % (noisy.length + 1);
          noisy = noisy.slice(0, i) + c + noisy.slice(i);
        }
        expect(parseScan(noisy)).toEqual(parseScan(code));
      }),
    );
  });

  it('never reads a Douyin link as a code', () => {
    const douyinLink = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', ''),
        fc.constantFrom('v.douyin.com', 'V.Douyin.Com', 'www.douyin.com', 'www.iesdouyin.com'),
        fc.webPath(),
        fc.option(fc.webQueryParameters(), { nil: undefined }),
        fc.constantFrom('', '\r\n', ' '),
      )
      .map(([scheme, host, path, query, tail]) => `${scheme}${host}${path}${query ? `?${query}` : ''}${tail}`);
    fc.assert(
      fc.property(douyinLink, (link) => {
        expect(parseScan(link)).toEqual({ kind: 'unsupported', reason: 'douyin_groupbuy' });
      }),
    );
  });

  it('takes the code out of a provider URL, whatever characters it has', () => {
    fc.assert(
      fc.property(codeText, fc.constantFrom('code', 'qrcode', 'certificate_no', 'c', 'QRCode'), (code, param) => {
        const url = `https://tickets.example.com/entry?lang=zh&${param}=${encodeURIComponent(code)}`;
        expect(parseScan(url)).toEqual({ kind: 'code', code, fromUrl: true });
      }),
    );
  });
});

describe('ID numbers wherever they appear (defects issue, item 6)', () => {
  it('reads a valid ID number inside a URL as an ID card, and any other value there as a code', () => {
    expect(parseScan('https://t.example/q?code=110105199003078035')).toEqual({ kind: 'id_card', idNumber: '110105199003078035' });
    expect(parseScan('https://t.example/v/11010519491231002x')).toEqual({ kind: 'id_card', idNumber: '11010519491231002X' });
    // 18 characters of ID shape with a wrong check digit: not an ID number, so the provider's code.
    expect(parseScan('https://t.example/q?code=110105199003078036')).toMatchObject({ kind: 'code', code: '110105199003078036' });
  });

  it('reads an ID number typed in groups as that ID number', () => {
    expect(parseScan('110105 19900307 8035')).toEqual({ kind: 'id_card', idNumber: '110105199003078035' });
    expect(parseScan('1101-0519-4912-3100-2X')).toEqual({ kind: 'id_card', idNumber: '11010519491231002X' });
    expect(parseScan('110105 19900307 8036')).toEqual({ kind: 'invalid', reason: 'id_checksum' });
  });
});
