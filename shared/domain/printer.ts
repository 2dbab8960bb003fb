import { z } from 'zod';

/**
 * When the window prints a slip (小票): never, after every verify that let the visitor in, or only
 * when a supervisor asks for one from the history.
 */
const PrintMode = z.enum(['off', 'after_verify', 'on_demand']);
type PrintMode = z.infer<typeof PrintMode>;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** Names that only resolve inside a site's own network (RFC 6762, RFC 8375, common router suffixes). */
const LAN_SUFFIXES = ['.local', '.lan', '.home.arpa', '.internal', '.localdomain'];
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * A receipt printer sits on the window's own network: a private, link-local or loopback IPv4
 * address, a single-label name (a printer's NetBIOS or DHCP name) or a name under a LAN-only
 * suffix. Anything that could be on the internet is refused: slips carry order and verify ids.
 */
function isLanHost(value: string): boolean {
  const ip = IPV4.exec(value);
  if (ip) {
    const [a, b, c, d] = ip.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return false;
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const host = value.toLowerCase();
  if (host.length > 253) return false;
  const labels = host.split('.');
  if (!labels.every((label) => HOST_LABEL.test(label))) return false;
  // A dotted name of digits only is a mistyped address, not a name.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.length === 1 || LAN_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

const NetworkPrinterTarget = z.object({
  kind: z.literal('network'),
  host: z.string().trim().min(1).max(253).refine(isLanHost, 'lan_host_required'),
  port: z.number().int().min(1).max(65_535).default(9100),
  /**
   * Count a slip printed only once the printer answered a status request (DLE EOT) sent after it.
   * Nearly every ESC/POS thermal printer answers; without it a printer that took the connection
   * but never read would swallow slips unseen.
   */
  confirmByStatus: z.boolean().default(true),
});

/**
 * A printer installed in Windows, printed to through the app (Electron only): an 80 mm HTML slip
 * printed silently by main, or the ESC/POS bytes as a RAW job through the spooler (QR and cut as
 * on a network printer; for thermal printers whose driver takes raw data, as most do).
 */
const WindowsPrinterTarget = z.object({
  kind: z.literal('windows'),
  printerName: z.string().trim().min(1).max(200),
  via: z.enum(['html', 'raw']).default('html'),
});

const PrinterTarget = z.discriminatedUnion('kind', [NetworkPrinterTarget, WindowsPrinterTarget]);
type PrinterTarget = z.infer<typeof PrinterTarget>;

export const PrinterSetting = z.object({
  mode: PrintMode.default('off'),
  target: PrinterTarget.optional(),
  /** The scenic spot's name, the slip's first line (the window's name follows it). */
  spotName: z.string().trim().max(40).default(''),
});
export type PrinterSetting = z.infer<typeof PrinterSetting>;

/** Why slips are not printing, as message keys the renderer translates. */
export const PrinterProblem = z.enum([
  /** The printer refused the connection or did not take it in time (off, unplugged, wrong address). */
  'unreachable',
  /** Connected, but the printer did not answer its status request (it is not reading). */
  'no_answer',
  'paper_out',
  'cover_open',
  /** The printer reported an error or being offline in its status. */
  'printer_error',
  /** Windows printing asked for where the app has no Windows printing (web mode). */
  'not_available',
  /** Windows (or the print system) said the print failed. */
  'print_failed',
  /** No target is set. */
  'not_configured',
]);
export type PrinterProblem = z.infer<typeof PrinterProblem>;

export const PrinterError = z.object({
  problem: PrinterProblem,
  at: z.number().int(),
  detail: z.string().max(300).optional(),
});
export type PrinterError = z.infer<typeof PrinterError>;

export const PrinterState = z.enum(['off', 'unknown', 'ready', 'offline', 'paper_out', 'error']);
export type PrinterState = z.infer<typeof PrinterState>;

export const PrinterStatus = z.object({
  mode: PrintMode,
  target: z.enum(['network', 'windows']).nullable(),
  state: PrinterState,
  /** The printer's near-end sensor (network printers that answer status); null when unknown. */
  paperNearEnd: z.boolean().nullable(),
  lastError: PrinterError.nullable(),
  lastPrintedAt: z.number().int().nullable(),
  /** Slips queued and not yet printed. */
  waiting: z.number().int().min(0),
  /** Unix ms of the next try while slips wait. */
  nextAttemptAt: z.number().int().nullable(),
});
export type PrinterStatus = z.infer<typeof PrinterStatus>;
