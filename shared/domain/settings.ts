import { z } from 'zod';
import { isLoopbackUrl, urlWithProtocol } from './url-rules';
import { IdReaderSetting, ScannerSetting } from './devices';
import { PrinterSetting } from './printer';
import { Language } from './status';

/**
 * Where the app may send credentials or fetch from: HTTPS to any host the supervisor names, plain
 * HTTP only to this machine (the tests' local sandbox). A secret must never cross a network in clear.
 */
export function isHttpsOrLoopback(value: string): boolean {
  return urlWithProtocol(value, ['https:']) !== undefined || isLoopbackUrl(value, ['http:']);
}

/** A URL field with the rule above; 'https_required' names the broken rule. */
export const secureUrl = () => z.url({ protocol: /^https?$/ }).refine(isHttpsOrLoopback, 'https_required');

export const OfflineCoupons = z.enum(['refuse', 'admit']);
export type OfflineCoupons = z.infer<typeof OfflineCoupons>;

/**
 * Settings the supervisor owns. Stored one key per row as JSON and parsed again on every read,
 * so a hand-edited or older row falls back to its default instead of breaking the app.
 * Douyin credentials are not here: they are secrets and live only in main's secret store.
 */
export const Settings = z.object({
  windowName: z.string().trim().min(1).max(40).default('1号窗口'),
  language: Language.default('zh-CN'),
  /** Whether a ticket accepted offline lets the visitor through now (the sync happens later). */
  offlineAdmits: z.boolean().default(true),
  /**
   * A Douyin-code coupon scanned while Douyin cannot be reached: 'refuse' (the default: prepare
   * needs Douyin, the visitor waits) or 'admit' (the staff type how many enter; the coupon is
   * prepared and that many certificates verified once Douyin answers).
   */
  offlineCoupons: OfflineCoupons.default('refuse'),
  /** Seconds during which the same credential scanned again makes no second request. */
  duplicateWindowSeconds: z.number().int().min(0).max(600).default(10),
  /** How long the staff wait for Douyin before the scan is accepted offline. */
  answerBudgetMs: z.number().int().min(500).max(15_000).default(3000),
  poiId: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  /**
   * Douyin OpenAPI base; the sandbox's URL in tests, production by default. The client secret is
   * bound to the origin it was entered for (see secrets/douyin-credentials).
   */
  baseUrl: secureUrl().optional(),
  /** Verify calls per second across the whole queue, well under the platform's limit. */
  verifyRatePerSecond: z.number().min(0.2).max(200).default(10),
  /** The provider's voucher feed (JSON Lines). HTTPS only; plain HTTP only to this machine. */
  voucherFeedUrl: secureUrl().optional(),
  /**
   * Days a finished scan (verified, refused, or handled by a supervisor) is kept; it then goes,
   * with its request and attempts. Unfinished ones are never removed.
   */
  historyRetentionDays: z.number().int().min(30).max(3650).default(365),
  sound: z.boolean().default(true),
  kiosk: z.boolean().default(false),
  /** Start the app when Windows signs in (installed app only). */
  autoStart: z.boolean().default(false),
  staffName: z.string().trim().max(40).default(''),
  /**
   * Hosts whose short links a scanned Douyin coupon QR may be resolved at (comma separated; only
   * these are ever contacted, never the redirect's target). DOUYIN_SHORT_LINK_HOSTS overrides.
   */
  douyinShortLinkHosts: z.string().trim().max(500).default('v.douyin.com'),
  /** A coupon order with one certificate is verified at once; off, every coupon asks to confirm. */
  couponVerifySingleAtOnce: z.boolean().default(true),
  // Operators (issue 15): whether scanning needs a sign-in, and whom scans name when it does not.
  signInRequired: z.boolean().default(false),
  defaultOperatorNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
  /**
   * The merchant's 来客 account (account_id), needed for Douyin's verify records (reconciliation)
   * and for looking up pre-imported codes (bind_order_info). Unset: neither runs (demo mode uses
   * the sandbox's own account).
   */
  douyinAccountId: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  /** The window's ID-card reader (devices feature). */
  idReader: IdReaderSetting.default({ kind: 'keyboard_wedge' }),
  /** The keyboard-wedge scanner's suffix and burst speed (devices feature). */
  scanner: ScannerSetting.default({ suffix: 'enter_or_tab', burstGapMs: 50 }),
  /** The receipt printer (小票): when to print, where, and the spot's name on the slip. */
  printer: PrinterSetting.default({ mode: 'off', spotName: '' }),
});
export type Settings = z.infer<typeof Settings>;
export const settingKeys = Object.keys(Settings.shape) as (keyof Settings)[];
