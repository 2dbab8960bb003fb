import { ID_NUMBER_SHAPE, idNumberProblem, isValidIdNumber } from './idNumber';
import { sanitizeScan } from './sanitize';
import { CODE_PATTERN, MAX_SCAN_LENGTH, MIN_CODE_LENGTH, ORDER_ID_PATTERN, type InvalidReason, type ParsedScan } from './schema';
import { URL_SCHEME, codeInUrl, isDouyinHost, isDouyinLink } from './url';

export { isValidIdNumber, maskIdNumber } from './idNumber';
export { MAX_SCAN_LENGTH, ParsedScan, ScanReason } from './schema';

const invalid = (reason: InvalidReason): ParsedScan => ({ kind: 'invalid', reason });
const DOUYIN: ParsedScan = { kind: 'unsupported', reason: 'douyin_groupbuy' };

function asCode(text: string, fromUrl: boolean): ParsedScan {
  if (!CODE_PATTERN.test(text)) return invalid('bad_chars');
  if (text.length < MIN_CODE_LENGTH) return invalid('too_short');
  return fromUrl ? { kind: 'code', code: text, fromUrl: true } : { kind: 'code', code: text };
}

function parseUrl(text: string): ParsedScan {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid('url_without_code');
  }
  // Catches what the text pattern cannot, e.g. https://user@v.douyin.com/.
  if (isDouyinHost(url.hostname)) return DOUYIN;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return invalid('url_without_code');
  const code = codeInUrl(url);
  if (code === undefined) return invalid('url_without_code');
  // A real ID number is personal data wherever it was printed: a URL that carries one is an ID
  // card scan, hashed for lookup, sealed while queued and masked on screen. Anything else in a
  // URL is the provider's code whatever it looks like, even 19 digits.
  if (isValidIdNumber(code)) return { kind: 'id_card', idNumber: code.toUpperCase() };
  return asCode(code, true);
}

/**
 * Classifies one scan (scanner, camera or keyboard) for lookup. Pure and total: any string gives
 * a value of ParsedScan, so the caller never needs a try.
 *
 * An 18-character string of 17 digits and a check character is always judged as an ID number,
 * never as a code: a provider certificate number of that exact shape would be refused as
 * id_checksum. The voucher import rejects such codes up front (see shared/vouchers).
 */
export function parseScan(raw: string): ParsedScan {
  const text = sanitizeScan(raw);
  if (text === '') return invalid('empty');
  if (text.length > MAX_SCAN_LENGTH) return invalid('too_long');
  if (isDouyinLink(text)) return DOUYIN;
  if (URL_SCHEME.test(text)) return parseUrl(text);
  // An ID number read out and typed in groups ("110105 19491231 002X") is still an ID number.
  const ungrouped = text.replace(/[\s-]/g, '');
  const idCandidate = ID_NUMBER_SHAPE.test(ungrouped) ? ungrouped : undefined;
  if (idCandidate !== undefined) {
    const problem = idNumberProblem(idCandidate);
    return problem ? invalid(problem) : { kind: 'id_card', idNumber: idCandidate.toUpperCase() };
  }
  if (!CODE_PATTERN.test(text)) return invalid('bad_chars');
  if (ORDER_ID_PATTERN.test(text)) return { kind: 'order_id', orderId: text };
  return asCode(text, false);
}
