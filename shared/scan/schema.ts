import { z } from 'zod';
import { isValidIdNumber } from './idNumber';

/** Message keys for a scan that cannot be looked up; the renderer owns their zh-CN and English text. */
export const ScanReason = z.enum([
  'empty',
  'too_long',
  'too_short',
  'bad_chars',
  'id_checksum',
  'id_birth_date',
  'url_without_code',
  'douyin_groupbuy',
]);
export type ScanReason = z.infer<typeof ScanReason>;

/** Well-formed input the window knows but cannot handle yet (as opposed to a bad scan). */
const UnsupportedReason = ScanReason.extract(['douyin_groupbuy']);
type UnsupportedReason = z.infer<typeof UnsupportedReason>;

export const InvalidReason = ScanReason.exclude(['douyin_groupbuy']);
export type InvalidReason = z.infer<typeof InvalidReason>;

/** Longer than any QR payload or number a ticket carries; longer input is a stuck key or a paste. */
export const MAX_SCAN_LENGTH = 512;

/**
 * Provider codes are opaque, so the charset is the union of what real ones use: base64 (+ / =),
 * base64url (- _), and the separators of prefixed codes ("qr_code1_0967", "T:2024.001"). No
 * spaces, quotes, '?', '&' or '#': those only appear when a URL or free text was scanned.
 */
export const CODE_PATTERN = /^[A-Za-z0-9_.:=/+-]+$/;

/** Shorter than any issued code: a stray key press or a partial read. */
export const MIN_CODE_LENGTH = 4;

export const ORDER_ID_PATTERN = /^\d{19}$/;

export const ParsedScan = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('order_id'), orderId: z.string().regex(ORDER_ID_PATTERN) }),
  z.strictObject({
    kind: z.literal('id_card'),
    idNumber: z
      .string()
      .regex(/^\d{17}[\dX]$/)
      .refine(isValidIdNumber),
  }),
  z.strictObject({
    kind: z.literal('code'),
    code: z.string().min(MIN_CODE_LENGTH).max(MAX_SCAN_LENGTH).regex(CODE_PATTERN),
    fromUrl: z.literal(true).optional(),
  }),
  z.strictObject({ kind: z.literal('invalid'), reason: InvalidReason }),
  z.strictObject({ kind: z.literal('unsupported'), reason: UnsupportedReason }),
]);
export type ParsedScan = z.infer<typeof ParsedScan>;
