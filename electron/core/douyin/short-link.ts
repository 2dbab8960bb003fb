import { Agent, request } from 'undici';

/**
 * A Douyin coupon QR decodes to a short link (https://v.douyin.com/eHHc1ft/). 验券准备 says:
 * request it, and the `object_id` of the long link it answers with is the prepare's
 * encrypted_data; "请仅感知链接中的 object_id 参数。其他的参数、域名、路径等信息请不要感知".
 * Whatever a QR says, the window only ever contacts a short-link host it was told to trust, and
 * never follows the redirect: no SSRF from a scanned code.
 */

export const DEFAULT_SHORT_LINK_HOSTS: readonly string[] = ['v.douyin.com'];

/** A trusted short-link origin: a bare host means https on 443; http only for loopback test rigs. */
export interface ShortLinkHost {
  protocol: 'https:' | 'http:';
  host: string;
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOOPBACK_ORIGIN = /^http:\/\/127\.0\.0\.1:(\d{1,5})$/;

/**
 * The setting douyinShortLinkHosts, or DOUYIN_SHORT_LINK_HOSTS for headless runs: hostnames
 * (comma or space separated), plus http://127.0.0.1:PORT for tests. Throws on anything else.
 */
export function parseShortLinkHosts(value: string | undefined): ShortLinkHost[] {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const list = entries.length > 0 ? entries : DEFAULT_SHORT_LINK_HOSTS;
  return list.map((entry) => {
    const lower = entry.toLowerCase();
    const loopback = LOOPBACK_ORIGIN.exec(lower);
    if (loopback && Number(loopback[1]) > 0 && Number(loopback[1]) < 65536) {
      return { protocol: 'http:', host: `127.0.0.1:${Number(loopback[1])}` };
    }
    if (HOSTNAME.test(lower)) return { protocol: 'https:', host: lower };
    throw new Error(`not a short-link host: ${entry} (a hostname such as v.douyin.com, or http://127.0.0.1:PORT)`);
  });
}

/** Hosts whose share URLs carry object_id and are read as they are, without any request. */
const LONG_LINK_DOMAINS = ['iesdouyin.com', 'douyin.com'];

export type CouponLink =
  { kind: 'short_link'; url: URL } | { kind: 'long_link'; encryptedData: string } | { kind: 'not_coupon_link' };

/** The raw `object_id` value, percent-decoded but never '+'-as-space decoded (it is base64). */
export function objectIdOf(url: URL): string | undefined {
  for (const pair of url.search.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === 'object_id') {
      try {
        const value = decodeURIComponent(pair.slice(eq + 1));
        return value === '' ? undefined : value;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const isTrusted = (url: URL, hosts: readonly ShortLinkHost[]) =>
  url.username === '' && url.password === '' && hosts.some((h) => h.protocol === url.protocol && h.host === url.host);

/** Pure: what a scanned text is, as far as coupon links go. */
export function classifyCouponLink(raw: string, hosts: readonly ShortLinkHost[]): CouponLink {
  // Every scan asks this first: URL.parse answers null where new URL() built and threw an error
  // (a stack trace per ticket code).
  const url = URL.parse(raw.trim());
  if (url === null) return { kind: 'not_coupon_link' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'not_coupon_link' };
  const douyinHost =
    url.protocol === 'https:' && LONG_LINK_DOMAINS.some((d) => url.hostname === d || url.hostname.endsWith(`.${d}`));
  const objectId = objectIdOf(url);
  if (objectId !== undefined && (douyinHost || isTrusted(url, hosts))) return { kind: 'long_link', encryptedData: objectId };
  if (isTrusted(url, hosts)) return { kind: 'short_link', url };
  return { kind: 'not_coupon_link' };
}

type ShortLinkResolution =
  | { kind: 'resolved'; encryptedData: string }
  /** The text is no coupon link from a trusted host: nothing was requested. */
  | { kind: 'not_allowed' }
  /** The host answered, but not with a redirect carrying object_id. */
  | { kind: 'no_object_id'; httpStatus: number }
  | { kind: 'unreachable'; message: string };

export interface ShortLinkResolver {
  resolve(raw: string, opts?: { signal?: AbortSignal }): Promise<ShortLinkResolution>;
  close(): Promise<void>;
}

export function createShortLinkResolver(options: { hosts: readonly ShortLinkHost[]; timeoutMs?: number }): ShortLinkResolver {
  const timeoutMs = options.timeoutMs ?? 2_500;
  const agent = new Agent({ connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 2 });
  return {
    async resolve(raw, opts = {}) {
      const link = classifyCouponLink(raw, options.hosts);
      if (link.kind === 'long_link') return { kind: 'resolved', encryptedData: link.encryptedData };
      if (link.kind !== 'short_link') return { kind: 'not_allowed' };
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      try {
        // undici's request() never follows redirects: the Location is read, not fetched.
        const answer = await request(link.url, { dispatcher: agent, method: 'GET', signal });
        await answer.body.dump();
        const location = answer.headers.location;
        const target = typeof location === 'string' && answer.statusCode >= 300 && answer.statusCode < 400 ? location : undefined;
        let encryptedData: string | undefined;
        try {
          encryptedData = target ? objectIdOf(new URL(target, link.url)) : undefined;
        } catch {
          encryptedData = undefined;
        }
        return encryptedData ? { kind: 'resolved', encryptedData } : { kind: 'no_object_id', httpStatus: answer.statusCode };
      } catch (error) {
        return { kind: 'unreachable', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    },
    close: () => agent.close(),
  };
}
