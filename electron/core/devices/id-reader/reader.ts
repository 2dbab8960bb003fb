import { z } from 'zod';

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

/** Receives the ID number of each card placed, once per placement; nothing else of the card. */
export type IdNumberSink = (idNumber: string) => void;
export type StatusListener = (status: IdReaderStatus) => void;

export interface IdReader {
  readonly kind: IdReaderKind;
  start(): void;
  /** Stops polling and releases the device; resolves once no call into it is running. */
  stop(): Promise<void>;
  status(): IdReaderStatus;
}
