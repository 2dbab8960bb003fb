import { z } from 'zod';
import { VoucherOrder } from '../vouchers/schema';

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
  /** A claim made later (the hub was away at the scan): when the ticket was used at the window. */
  usedAtMs: z.number().int().positive().optional(),
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

/** Who holds a ticket, asked by a window that must know but not take it (an online coupon scan). */
export const holderRequestSchema = claimRequestSchema.pick({ key: true });

export const holderAnswerSchema = z.discriminatedUnion('held', [
  z.object({ held: z.literal(false) }),
  z.object({ held: z.literal(true), claimedAtMs: z.number().int(), windowName: z.string() }),
]);
export type HolderAnswer = z.infer<typeof holderAnswerSchema>;

/** A credential as the site's history shows it: masked by the window, never an ID number in clear. */
const maskedSchema = z
  .string()
  .max(60)
  .refine((code) => code.includes('*'), 'must be masked');
const ms = z.number().int().nonnegative();

/** One scan as the window has it now: what the staff were shown and what became of it. */
const hubScanSchema = z.object({
  id: z.number().int().positive(),
  scannedAtMs: ms,
  source: z.string().max(20),
  credentialKind: z.string().max(20),
  maskedCode: maskedSchema,
  orderId: z.string().max(40).nullable(),
  projectId: z.string().max(40).nullable(),
  /** The product (project) name, for the site's by-product report. */
  product: z.string().max(120).nullable(),
  verdict: z.string().max(20),
  reason: z.string().max(40),
  /** The window's stored outcome: verified, pending, refused, conflict, needs_attention, rejected. */
  outcome: z.string().max(20),
  siteClaim: z.enum(['claimed', 'unclaimed', 'lost', 'released']).nullable(),
  operatorNo: z.string().max(40),
  shiftId: z.number().int().nullable(),
  people: z.number().int().nullable(),
  amountFen: z.number().int().nullable(),
  /** The Douyin request's state, if the scan has one, and why it last failed. */
  queueState: z.enum(['queued', 'sending', 'verified', 'rejected', 'needs_attention']).nullable(),
  tries: z.number().int().nonnegative(),
  lastReason: z.string().max(300).nullable(),
});
export type HubScan = z.infer<typeof hubScanSchema>;

const hubAttemptSchema = z.object({
  id: z.number().int().positive(),
  scanId: z.number().int().positive(),
  startedAtMs: ms,
  finishedAtMs: ms,
  outcome: z.string().max(60),
  reached: z.boolean(),
  errorCode: z.number().int().nullable(),
  httpStatus: z.number().int().nullable(),
  logid: z.string().max(120).nullable(),
});

const hubShiftSchema = z.object({
  id: z.number().int().positive(),
  operatorNo: z.string().max(40),
  openedAtMs: ms,
  closedAtMs: ms.nullable(),
  closeKind: z.enum(['sign_out', 'handover', 'crash']).nullable(),
  /** The shift's stored figures (JSON), as the window's handover shows them. */
  report: z
    .string()
    .max(64 * 1024)
    .nullable(),
});

/** Who works at the window; never the PIN or its hash. */
const hubOperatorSchema = z.object({
  id: z.number().int().positive(),
  staffNo: z.string().max(40),
  name: z.string().max(60),
  role: z.enum(['staff', 'supervisor']),
  disabled: z.boolean(),
});

/** One entry of the window's history outbox: the entity's state as it is now, with its number. */
const hubChangeSchema = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int().positive(), kind: z.literal('scan'), scan: hubScanSchema }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('attempt'), attempt: hubAttemptSchema }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('shift'), shift: hubShiftSchema }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('operator'), operator: hubOperatorSchema }),
]);
export type HubChange = z.infer<typeof hubChangeSchema>;

/**
 * A batch of the window's history, in its own order. `throughSeq` is the last entry the batch
 * covers (entries for rows since deleted carry nothing but still count), so the hub's cursor moves
 * past them; the hub applies only entries above the cursor it holds for this window.
 */
export const historyPushRequestSchema = z
  .object({
    throughSeq: z.number().int().positive(),
    version: z.string().max(40).optional(),
    changes: z.array(hubChangeSchema).max(500),
  })
  .refine(
    (push) => push.changes.every((c, i, all) => c.seq <= push.throughSeq && (i === 0 || (all[i - 1] as HubChange).seq < c.seq)),
    'changes must be in ascending seq order, none above throughSeq',
  );
export type HistoryPushRequest = z.infer<typeof historyPushRequestSchema>;
/** `lastSeq`: everything up to it is the hub's (the window may forget it); `applied`: new now. */
export const historyPushAnswerSchema = z.object({ lastSeq: z.number().int().nonnegative(), applied: z.number().int() });

/** Every refusal carries a code and the words for both languages. */
export const hubErrorSchema = z.object({
  error: z.string(),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
});
export type HubError = z.infer<typeof hubErrorSchema>;

/** The most voucher changes one pull answers; the window asks again while `more`. */
export const VOUCHER_PAGE_MAX_ROWS = 500;

/** One change of the site's voucher index: the order as loaded now, or null once it was removed. */
export const voucherChangeSchema = z.object({
  seq: z.number().int().positive(),
  orderId: z.string().regex(/^\d{1,32}$/),
  order: VoucherOrder.nullable(),
});
export type VoucherChange = z.infer<typeof voucherChangeSchema>;

/**
 * A page of changes after the window's cursor. `sealed` opens (AES-256-GCM, a key derived from
 * the window's secret) to the JSON array of changes: orders hold ID numbers, and a LAN hub may
 * speak plain HTTP. `cursor` is where the next pull starts; it may pass changes the window need
 * not see (removals, on a first pull).
 */
export const voucherPageSchema = z.object({
  cursor: z.number().int().nonnegative(),
  more: z.boolean(),
  count: z.number().int().nonnegative(),
  sealed: z.string(),
});
export type VoucherPage = z.infer<typeof voucherPageSchema>;

/** What a load at the hub did; `cursor` is the newest change number after it. */
export interface VoucherLoadAnswer {
  orders: number;
  changed: number;
  removed: number;
  cursor: number;
}
