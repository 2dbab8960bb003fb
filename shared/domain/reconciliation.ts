import { z } from 'zod';

/** A Beijing business day, YYYY-MM-DD. */
export const BusinessDay = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);

/**
 * What reconciliation found between Douyin's verify records and this window's history:
 * - douyin_only: Douyin verified the certificate, this window has no verify of it (another
 *   window at the same POI, the merchant's own app, or a verify this window lost);
 * - local_only: this window holds a verify Douyin does not list;
 * - undone_at_douyin: Douyin lists the verify as undone, this window still counts it.
 */
const DifferenceKind = z.enum(['douyin_only', 'local_only', 'undone_at_douyin']);
type DifferenceKind = z.infer<typeof DifferenceKind>;

export const ReconciliationDifference = z.object({
  kind: DifferenceKind,
  certificateId: z.string(),
  verifyId: z.string().nullable(),
  orderId: z.string().nullable(),
  /** Unix ms: Douyin's verify_time, or the window's own where only it has the verify. */
  verifiedAt: z.number().int().nullable(),
  cancelledAt: z.number().int().nullable(),
  title: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  /** The window's scan, where it has one. */
  scanId: z.number().int().nullable(),
});
export type ReconciliationDifference = z.infer<typeof ReconciliationDifference>;

export const Reconciliation = z.object({
  id: z.number().int(),
  day: BusinessDay,
  poiId: z.string(),
  trigger: z.enum(['supervisor', 'daily']),
  actor: z.string().nullable(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  /** incomplete: stopped at the page cap; failed: Douyin could not be read (see failure). */
  state: z.enum(['complete', 'incomplete', 'failed']),
  douyinRecords: z.number().int(),
  localCertificates: z.number().int(),
  pages: z.number().int(),
  failure: z.string().nullable(),
  differences: z.array(ReconciliationDifference),
});
export type Reconciliation = z.infer<typeof Reconciliation>;
