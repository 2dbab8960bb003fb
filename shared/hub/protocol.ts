import { z } from 'zod';

/**
 * The site hub's wire protocol: what a window sends and what the hub answers. Both sides parse
 * with these schemas, so a change here is a change on both.
 */

/** Headers of a signed window request; the signature covers `canonicalRequest`. */
export const HUB_HEADERS = {
  window: 'x-hub-window',
  timestamp: 'x-hub-timestamp',
  nonce: 'x-hub-nonce',
  signature: 'x-hub-signature',
} as const;

/** A signed request older or newer than this (clock skew included) is refused. */
export const HUB_SIGNATURE_WINDOW_MS = 5 * 60_000;

/** The text a window signs: method, path with query, body hash, timestamp, nonce. */
export function canonicalRequest(parts: {
  method: string;
  path: string;
  bodySha256Hex: string;
  timestamp: string;
  nonce: string;
}): string {
  return [parts.method.toUpperCase(), parts.path, parts.bodySha256Hex, parts.timestamp, parts.nonce].join('\n');
}

export const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** Upper-case letters and digits without 0/O/1/I, so it can be read off a screen and typed. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const pairingCodeSchema = z
  .string()
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{8}$/));

export const pairRequestSchema = z.object({
  code: pairingCodeSchema,
  /** What the site calls this window ("3号窗口"). */
  name: z.string().trim().min(1).max(40),
  version: z.string().max(40).optional(),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

export const pairAnswerSchema = z.object({
  windowId: z.uuid(),
  /** base64url HMAC key, shown once; the window seals it like the Douyin secret. */
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type PairAnswer = z.infer<typeof pairAnswerSchema>;

/** The site's one client_token; `expires_at` in Unix seconds, like a token service. */
export const hubTokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  expires_at: z.number().int().positive(),
});

/** What a ticket is claimed by: the credential code or the order (per project where needed). */
export const claimRequestSchema = z.object({
  key: z.string().min(1).max(200),
  /** The window's own scan id: a retried claim of the same scan is the same claim. */
  scanId: z.string().min(1).max(80),
});
export type ClaimRequest = z.infer<typeof claimRequestSchema>;

export const claimAnswerSchema = z.discriminatedUnion('won', [
  z.object({ won: z.literal(true) }),
  z.object({
    won: z.literal(false),
    /** When and where the ticket was claimed first ("已于 13:58 在 3号窗口 使用"). */
    claimedAtMs: z.number().int(),
    windowName: z.string(),
  }),
]);
export type ClaimAnswer = z.infer<typeof claimAnswerSchema>;

export const releaseAnswerSchema = z.object({ released: z.boolean() });

/** One scan as the site's history keeps it: masked code, never an ID number. */
export const hubScanSchema = z.object({
  scanId: z.string().min(1).max(80),
  scannedAtMs: z.number().int().positive(),
  outcome: z.string().min(1).max(40),
  /** e.g. "AB****89": the window masks before sending. */
  maskedCode: z
    .string()
    .max(40)
    .refine((code) => code.includes('*'), 'maskedCode must be masked'),
  product: z.string().max(120).optional(),
  operator: z.string().max(60).optional(),
});
export type HubScan = z.infer<typeof hubScanSchema>;

export const scanPushRequestSchema = z.object({ scans: z.array(hubScanSchema).min(1).max(500) });
export const scanPushAnswerSchema = z.object({ stored: z.number().int(), duplicates: z.number().int() });

/** Every refusal carries a code and the words for both languages. */
export const hubErrorSchema = z.object({
  error: z.string(),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
});
export type HubError = z.infer<typeof hubErrorSchema>;

export const pairingCodeAnswerSchema = z.object({ code: z.string(), expiresAtMs: z.number().int() });
