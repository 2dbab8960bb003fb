import { z } from 'zod';
import { Outcome } from './history';

/**
 * A PIN is digits only: it is typed on a kiosk's number pad. A new PIN has at least 6 digits
 * (a million guesses, behind the lockout). Unlocking takes any short string and lets the hash
 * decide, so the 4- and 5-digit PINs of earlier versions still open an updated window.
 */
export const NewPin = z.string().regex(/^\d{6,12}$/);

export const AuthState = z.object({
  pinSet: z.boolean(),
  /** Unix ms until which unlocking is refused after too many wrong PINs. */
  lockedUntil: z.number().int().nullable(),
});
export type AuthState = z.infer<typeof AuthState>;

export const SessionGrant = z.object({ token: z.string(), expiresAt: z.number().int(), idleMs: z.number().int() });
export type SessionGrant = z.infer<typeof SessionGrant>;

export const QueueItem = z.object({
  outboxId: z.number().int(),
  scanId: z.number().int(),
  state: z.enum(['queued', 'sending', 'needs_attention']),
  orderId: z.string(),
  credentialDisplay: z.string(),
  projectName: z.string().nullable(),
  createdAt: z.number().int(),
  nextAttemptAt: z.number().int(),
  tries: z.number().int(),
  lastReason: z.string().nullable(),
  lastLogid: z.string().nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueView = z.object({
  items: z.array(QueueItem),
  /** Why the worker stopped sending (configuration error), if it did. */
  paused: z.string().nullable(),
});
export type QueueView = z.infer<typeof QueueView>;

export const HandledNote = z.string().trim().min(1).max(500);

export const ShiftReport = z.object({
  /** The close this report belongs to; null for the shift still open. */
  closeId: z.number().int().nullable(),
  from: z.number().int(),
  to: z.number().int(),
  windowName: z.string(),
  poiId: z.string().nullable(),
  total: z.number().int(),
  // Closes stored before an outcome existed lack its key: it counts 0 there.
  byOutcome: z
    .partialRecord(Outcome, z.number().int())
    .transform((r) => Object.fromEntries(Outcome.options.map((o) => [o, r[o] ?? 0])) as Record<Outcome, number>),
  byProject: z.array(
    z.object({
      project: z.string(),
      total: z.number().int(),
      verified: z.number().int(),
      pending: z.number().int(),
      people: z.number().int().default(0),
      amountFen: z.number().int().default(0),
    }),
  ),
  // Figures added with operators (issue 15); closes stored before them read 0.
  /** People let in: a coupon's certificate count, one per trip ticket verified or accepted offline. */
  people: z.number().int().default(0),
  /** Verified coupons' amounts, in fen (integers: sums stay exact; shown as yuan). */
  amountFen: z.number().int().default(0),
  /** Accepted offline at the window; of those, the ones Douyin has not answered yet. */
  offlineAccepted: z.number().int().default(0),
  offlineUnsynced: z.number().int().default(0),
  /**
   * Entries per Beijing clock hour (a shift longer than a day adds its days' hours together) and
   * the peak hour, as the day view's chart draws them; closes stored before them read none.
   */
  entriesByHour: z
    .array(z.number().int())
    .length(24)
    .default(() => Array.from({ length: 24 }, () => 0)),
  peakHour: z.number().int().min(0).max(23).nullable().default(null),
  /** The operator's shift (operators issue) this report covers; absent for a window-wide close. */
  shift: z
    .object({
      id: z.number().int(),
      operatorNo: z.string(),
      operatorName: z.string(),
      closeKind: z.enum(['sign_out', 'handover', 'crash']).nullable(),
    })
    .optional(),
});
export type ShiftReport = z.infer<typeof ShiftReport>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ExportStarted = z.object({
  exportId: z.string(),
  rows: z.number().int(),
  bytes: z.number().int(),
  chunks: z.number().int(),
  fileName: z.string(),
});
export type ExportStarted = z.infer<typeof ExportStarted>;
