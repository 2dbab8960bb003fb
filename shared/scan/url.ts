/**
 * A Douyin host at the start of the scan, or after a space (Douyin's share text puts the link
 * after a sentence of Chinese). Scheme-less matters: "v.douyin.com/abc" fits the code charset and
 * would otherwise be looked up as a code.
 */
const DOUYIN_LINK = /(?:^|\s)(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9-]+\.)*(?:iesdouyin|douyin)\.com(?=[/:?#\s]|$)/i;

export const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

// In priority order: a URL that carries two of them names the code in the more specific one.
const CODE_PARAMS = ['code', 'qrcode', 'qr_code', 'certificate_no', 'credential_no', 'c'];

// Path words after which providers put the code as the last segment: https://host/qr/CODE.
const CODE_PATH_PARENTS = new Set([
  'c',
  'q',
  'qr',
  'qrcode',
  'code',
  'v',
  't',
  'ticket',
  'voucher',
  'verify',
  'cert',
  'certificate',
]);

/** Any Douyin link (group-buy coupons decode to https://v.douyin.com/…); none carries a provider code. */
export function isDouyinLink(text: string): boolean {
  return DOUYIN_LINK.test(text);
}

export function isDouyinHost(hostname: string): boolean {
  return /(?:^|\.)(?:iesdouyin|douyin)\.com$/i.test(hostname);
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * name → value pairs read by hand because URLSearchParams turns '+' into a space, and providers
 * put base64 codes into query strings without escaping them.
 */
function queryPairs(query: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = decode(part.slice(0, eq))?.toLowerCase();
    const value = decode(part.slice(eq + 1));
    if (name !== undefined && value && !pairs.has(name)) pairs.set(name, value);
  }
  return pairs;
}

function fromQuery(query: string): string | undefined {
  const pairs = queryPairs(query);
  for (const name of CODE_PARAMS) {
    const value = pairs.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The code a provider URL carries, unvalidated; undefined when it names none. */
export function codeInUrl(url: URL): string | undefined {
  // Single-page apps put their query after the hash: https://host/#/verify?code=XXX.
  const hash = url.hash.slice(1);
  const hashQuery = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash;
  const fromParams = fromQuery(url.search.slice(1)) ?? fromQuery(hashQuery);
  if (fromParams !== undefined) return fromParams;

  const segments = url.pathname.split('/').filter((s) => s !== '');
  const [parent, last] = segments.slice(-2);
  if (segments.length >= 2 && parent !== undefined && last !== undefined) {
    if (CODE_PATH_PARENTS.has(parent.toLowerCase())) return decode(last);
  }
  return undefined;
}
