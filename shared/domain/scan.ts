import { z } from 'zod';

/** Where a scan came from; kept with the record because supervisors ask "was it typed in?". */
export const ScanSource = z.enum(['scanner', 'camera', 'keyboard']);
export type ScanSource = z.infer<typeof ScanSource>;

/**
 * The answers the staff can ever get, each with its own colour and sound: verified (green),
 * accepted offline and will sync (amber), refused (red), and a repeat (violet): the same ticket
 * again within the duplicate window, which never admits, because that is how two people pass on
 * one ticket. A repeat is an answer only; it is never stored as a scan's verdict. So is confirm
 * (blue): a Douyin coupon order with several unused certificates, waiting for the staff to say
 * how many people enter now.
 */
export const Verdict = z.enum(['verified', 'offline', 'refused', 'repeat', 'confirm']);
export type Verdict = z.infer<typeof Verdict>;

/** Message keys for why a verdict was given; the renderer owns their zh-CN and English text. */
export const VerdictReason = z.enum([
  'verified',
  'already_verified',
  'offline_queued',
  'duplicate_scan',
  'already_used',
  /** The same ticket again within the duplicate window, already verified or accepted: one entry only. */
  'repeat_scan',
  /** Accepted offline here, but Douyin had it verified elsewhere before our request reached it. */
  'used_elsewhere',
  'douyin_rejected',
  'not_found',
  'too_early',
  'needs_attention',
  'configuration',
  'invalid_input',
  'unsupported',
  'storage_full',
  /** A Douyin coupon order with several certificates: how many enter now? */
  'coupon_confirm',
  /** Douyin-code coupons are verified online only: the visitor waits or retries. */
  'coupon_needs_network',
  /** The staff cancelled at the confirm step: nothing was verified. */
  'coupon_cancelled',
  /** Douyin lists no unused certificate (all used or refunded). */
  'coupon_none_unused',
  /** No unused certificate, and Douyin's status query says they were used. */
  'coupon_used',
  /** No unused certificate, and Douyin's status query says they were refunded. */
  'coupon_refunded',
  'coupon_expired',
  'coupon_not_yet_valid',
  /** The coupon verify is sent but Douyin has not answered yet: not admitted until it has. */
  'coupon_checking',
  /** A short link whose host answered without the coupon's data (an old or foreign QR). */
  'coupon_link_invalid',
  /** Douyin unreachable, offline coupons admitted: how many people enter? (amber, not admitted yet) */
  'coupon_offline_count',
  /** Admitted offline on the staff's count: prepared and verified once Douyin answers. */
  'coupon_offline_admitted',
]);
export type VerdictReason = z.infer<typeof VerdictReason>;

/** The life of one queued verify request (the outbox row), as in docs/architecture.md. */
export const OutboxState = z.enum(['queued', 'sending', 'verified', 'rejected', 'needs_attention']);
export type OutboxState = z.infer<typeof OutboxState>;

/** What a Douyin coupon scan shows: what the visitor bought and how many enter. */
export const CouponSummary = z.object({
  /** The prepare awaiting the staff's count (confirm answers only). */
  prepareId: z.number().int().optional(),
  title: z.string(),
  /** Unused, currently valid certificates Douyin listed. */
  unused: z.number().int().min(0),
  /** People entering on this scan (the certificates verified or being verified). */
  people: z.number().int().min(0),
  /** Per certificate, in fen (Douyin's pay_amount). */
  amountsFen: z.array(z.number().int().min(0)),
  /** Unix ms: the earliest expiry among the unused certificates. */
  validUntil: z.number().int().optional(),
});
export type CouponSummary = z.infer<typeof CouponSummary>;

export const ScanAnswer = z.object({
  scanId: z.number().int().nullable(),
  verdict: Verdict,
  reason: VerdictReason,
  /** The same credential again within the duplicate window: no new request was made. */
  repeated: z.boolean().optional(),
  /** The scanner's own reason key for invalid input (see shared/scan), when reason is invalid_input. */
  inputProblem: z.string().optional(),
  /** Douyin's own words, shown as they came when Douyin refused the ticket. */
  douyinMessage: z.string().optional(),
  /** Whether the visitor may pass; for offline answers this follows the supervisor's policy. */
  admit: z.boolean(),
  orderId: z.string().optional(),
  projectName: z.string().optional(),
  credentialDisplay: z.string(),
  /** Unix ms of the scan. */
  at: z.number().int(),
  /** For already_used: when and where the credential was verified before. */
  previous: z.object({ at: z.number().int(), windowName: z.string() }).optional(),
  coupon: CouponSummary.optional(),
  /** People let in on a coupon admitted offline (no summary from Douyin yet). */
  people: z.number().int().min(1).optional(),
});
export type ScanAnswer = z.infer<typeof ScanAnswer>;

/**
 * A coupon scan's undo (撤销核销), as history shows it: whether it can still be asked for (and
 * until when: one hour from the verify), or how far an asked-for undo has got.
 */
export const CouponUndoView = z.object({
  /** Unix ms: Douyin refuses the undo after this (one hour from the earliest verify). */
  deadline: z.number().int().nullable(),
  /** undoable: verified, within the hour, nothing asked yet; the rest follow the undo's outbox item. */
  state: z.enum(['undoable', 'expired', 'unavailable', 'pending', 'undone', 'refused', 'needs_attention']),
  reason: z.string().nullable(),
  operatorNo: z.string().nullable(),
  requestedAt: z.number().int().nullable(),
  /** Douyin's words or the local reason when an undo was refused. */
  lastReason: z.string().nullable(),
});
export type CouponUndoView = z.infer<typeof CouponUndoView>;

export const ScanRecord = z.object({
  id: z.number().int(),
  at: z.number().int(),
  source: ScanSource,
  credentialDisplay: z.string(),
  orderId: z.string().nullable(),
  projectName: z.string().nullable(),
  verdict: Verdict,
  reason: VerdictReason,
  /** null when the scan never made a request (refused before sending). */
  state: OutboxState.nullable(),
  /** A verified coupon's undo (撤销核销), for the staff's recent list; absent for everything else. */
  couponUndo: CouponUndoView.optional(),
});
export type ScanRecord = z.infer<typeof ScanRecord>;
