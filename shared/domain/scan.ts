import { z } from 'zod';

/** Where a scan came from; kept with the record because supervisors ask "was it typed in?". */
export const ScanSource = z.enum(['scanner', 'camera', 'keyboard']);
export type ScanSource = z.infer<typeof ScanSource>;

/**
 * The answers the staff can ever get, each with its own colour and sound: verified (green),
 * accepted offline and will sync (amber), refused (red), and a repeat (violet): the same ticket
 * again within the duplicate window, which never admits, because that is how two people pass on
 * one ticket. A repeat is an answer only; it is never stored as a scan's verdict.
 */
export const Verdict = z.enum(['verified', 'offline', 'refused', 'repeat']);
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
]);
export type VerdictReason = z.infer<typeof VerdictReason>;

/** The life of one queued verify request (the outbox row), as in docs/architecture.md. */
export const OutboxState = z.enum(['queued', 'sending', 'verified', 'rejected', 'needs_attention']);
export type OutboxState = z.infer<typeof OutboxState>;

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
});
export type ScanAnswer = z.infer<typeof ScanAnswer>;

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
});
export type ScanRecord = z.infer<typeof ScanRecord>;
