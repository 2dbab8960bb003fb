import { z } from 'zod';
import { CouponUndoView, ScanSource, Verdict, VerdictReason } from './scan';
import { ID_NUMBER_SHAPE } from '../scan/idNumber';
import { maskIdNumber } from '../scan/parse';

/**
 * What became of one scan, as a supervisor reads it: the outbox state when a request was made,
 * 'refused' when the window refused it without asking Douyin (not found, already used, too early).
 * 'pending' covers queued and sending: for a supervisor both mean "not settled yet". 'conflict': accepted
 * offline here, but Douyin had the ticket verified elsewhere. 'already_used' and 'refunded': refused
 * because the ticket or coupon was used before or paid back. 'undone': a coupon verified here and
 * then cancelled at Douyin within the hour (撤销核销). The SQL that decides it has one owner:
 * electron/core/outbox/scan-outcome.ts.
 */
export const Outcome = z.enum([
  'verified',
  'rejected',
  'pending',
  'needs_attention',
  'refused',
  'conflict',
  'already_used',
  'refunded',
  'undone',
]);
export type Outcome = z.infer<typeof Outcome>;

/** Unix ms; the export and the shift report use the same instants as the screen. */
const Instant = z.number().int().nonnegative();

/** Order ids and codes only: a prefix never carries anything an index range could misread. */
const SearchPrefix = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[0-9A-Za-z*_-]+$/);

export const HistoryFilter = z
  .object({
    from: Instant.optional(),
    to: Instant.optional(),
    outcome: Outcome.optional(),
    staff: z.string().trim().min(1).max(40).optional(),
    // Operators (issue 15): one operator's scans, or one shift's (the shift export).
    operatorNo: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .optional(),
    shiftId: z.number().int().positive().optional(),
    /** A project id or its name, matched exactly. */
    project: z.string().trim().min(1).max(80).optional(),
    /** Prefix of an order id or a ticket code (ID numbers only in their masked form). */
    search: SearchPrefix.optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilter>;

/** Keyset position: the last row of the previous page (newest first). */
export const HistoryCursor = z.object({ at: Instant, id: z.number().int().positive() }).strict();
export type HistoryCursor = z.infer<typeof HistoryCursor>;

export const AttemptView = z.object({
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  outcome: z.string(),
  reached: z.boolean(),
  errorCode: z.number().int().nullable(),
  httpStatus: z.number().int().nullable(),
  logid: z.string().nullable(),
  message: z.string().nullable(),
});
export type AttemptView = z.infer<typeof AttemptView>;

/** Why a supervisor undoes a verified coupon (撤销核销): required, kept in the audit log and history. */
export const UndoReason = z.string().trim().min(2).max(200);

/** What a coupon scan sold: product title, certificates (people) and the amount paid, in fen. */
export const CouponHistory = z.object({
  title: z.string().nullable(),
  people: z.number().int().nullable(),
  amountFen: z.number().int().nullable(),
  /** Certificates undone at Douyin. */
  undone: z.number().int(),
  undo: CouponUndoView,
});
export type CouponHistory = z.infer<typeof CouponHistory>;

export const HistoryRow = z.object({
  id: z.number().int(),
  at: z.number().int(),
  source: ScanSource,
  credentialKind: z.string(),
  /** Masked for ID numbers, always (see maskedDisplay). */
  credentialDisplay: z.string(),
  orderId: z.string().nullable(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  verdict: Verdict,
  reason: VerdictReason,
  outcome: Outcome,
  douyinMessage: z.string().nullable(),
  staff: z.string(),
  /** The signed-in operator's 工号 ('' before operators, or the window's default). */
  operatorNo: z.string(),
  windowName: z.string(),
  poiId: z.string().nullable(),
  outboxId: z.number().int().nullable(),
  tries: z.number().int().nullable(),
  lastReason: z.string().nullable(),
  /** How many times it was sent; the attempts themselves are read when the row is opened (supervisor.history.attempts). */
  attemptCount: z.number().int().nonnegative(),
  /** Douyin-code coupons only (null for trip tickets). */
  coupon: CouponHistory.nullable(),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export const HistoryPage = z.object({
  rows: z.array(HistoryRow),
  /** Absent on the last page. */
  next: HistoryCursor.optional(),
});
export type HistoryPage = z.infer<typeof HistoryPage>;

/**
 * Belt and braces over the scan path, which already stores ID numbers masked: whatever a row
 * holds, a clear ID number never reaches a screen or a file.
 */
export function maskedDisplay(kind: string, display: string): string {
  if (kind === 'id_card' || ID_NUMBER_SHAPE.test(display)) return display.includes('*') ? display : maskIdNumber(display);
  return display;
}
