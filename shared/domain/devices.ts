import { z } from 'zod';
import { isLoopbackUrl } from './url-rules';

/** How the window's ID-card reader hands over the number; the supervisor picks one. */
export const IdReaderKind = z.enum(['keyboard_wedge', 'local_service', 'vendor_sdk']);
export type IdReaderKind = z.infer<typeof IdReaderKind>;

/**
 * Why the reader is not reading, as message keys the renderer translates. No code ever carries
 * what was on the card: a detail is about the device or the library, never the person.
 */
export const IdReaderProblem = z.enum([
  /** No reader answered on any port (USB 1001–1016, serial 1–16), or it was unplugged. */
  'not_connected',
  /** The SDK's DLL is not at the configured path, or one it needs (sdtapi.dll…) is missing. */
  'library_missing',
  /** The DLL is built for another processor width than the app (a 32-bit DLL in a 64-bit app). */
  'library_wrong_bitness',
  /** The file loaded but is not a termb-style library, or the SDK reported its own load failure. */
  'library_load_failed',
  /** A card was there but its content could not be read, or what came back is no ID number. */
  'misread',
  /** The vendor's local service did not answer (not running, wrong port). */
  'service_unreachable',
  /** The vendor's local service answered something that is not the configured shape. */
  'service_bad_answer',
]);
export type IdReaderProblem = z.infer<typeof IdReaderProblem>;

export const IdReaderError = z.object({
  problem: IdReaderProblem,
  at: z.number().int(),
  /** For the supervisor and support: e.g. the library's and the app's processor width. */
  detail: z.string().max(300).optional(),
});
export type IdReaderError = z.infer<typeof IdReaderError>;

export const IdReaderStatus = z.object({
  kind: IdReaderKind,
  /** null where the app cannot know (a keyboard wedge is just a keyboard). */
  connected: z.boolean().nullable(),
  cardPresent: z.boolean().nullable(),
  /** Unix ms of the last card read and passed on. */
  lastReadAt: z.number().int().nullable(),
  lastError: IdReaderError.nullable(),
});
export type IdReaderStatus = z.infer<typeof IdReaderStatus>;

/**
 * A vendor's local reader service runs on this PC. Only loopback is accepted: an ID number read
 * from a service elsewhere would cross a network in clear, and a remote host could feed the
 * window any number it likes.
 */
const isLoopbackServiceUrl = (value: string) => isLoopbackUrl(value, ['http:', 'ws:']);

/** A dotted path into the service's JSON answer, e.g. "data.IDNumber" or "Certificate.IDNum". */
const JsonFieldPath = z
  .string()
  .trim()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\.\d+)*$/, 'field_path');

export const LocalServiceConfig = z.object({
  /** http://127.0.0.1:port/path is polled; ws://127.0.0.1:port/path pushes answers. */
  url: z.string().trim().refine(isLoopbackServiceUrl, 'loopback_required'),
  idField: JsonFieldPath,
  pollIntervalMs: z.number().int().min(100).max(5000).default(300),
});
export type LocalServiceConfig = z.infer<typeof LocalServiceConfig>;

const VendorSdkSetting = z.object({
  /** Where the vendor's termb.dll is (its sdtapi.dll and WltRS.dll next to it). */
  libraryPath: z.string().trim().min(1).max(1000),
  pollIntervalMs: z.number().int().min(100).max(5000).default(300),
});

/** Which ID-card reader the window has, and how to reach it; a keyboard wedge needs nothing. */
export const IdReaderSetting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keyboard_wedge') }),
  LocalServiceConfig.extend({ kind: z.literal('local_service') }),
  VendorSdkSetting.extend({ kind: z.literal('vendor_sdk') }),
]);
export type IdReaderSetting = z.infer<typeof IdReaderSetting>;

/**
 * What the scanner sends after each code: Enter, Tab, either (the default, as before), or
 * nothing, in which case a burst ends when no key follows within the burst gap.
 */
const ScannerSuffix = z.enum(['enter_or_tab', 'enter', 'tab', 'none']);
type ScannerSuffix = z.infer<typeof ScannerSuffix>;

export const ScannerSetting = z.object({
  suffix: ScannerSuffix.default('enter_or_tab'),
  /** The slowest gap between two keys of one burst, in ms. Wedges type at 1–20 ms; hands at 80+. */
  burstGapMs: z.number().int().min(10).max(200).default(50),
});
export type ScannerSetting = z.infer<typeof ScannerSetting>;
