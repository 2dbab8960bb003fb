import { z } from 'zod';
import type { CouponVerifyRequest } from '../douyin/coupon-schemas';
import type { FailureOutcome } from '../douyin/outcome';
import type { PreparedCertificate } from '../scan/prepared-certificates';

/** What a Douyin-code scan carried, kept for the prepare Douyin could not answer at the time. */
export const OfflineCouponQuery = z.union([
  z.object({ code: z.string().min(1) }).strict(),
  z.object({ encrypted_data: z.string().min(1) }).strict(),
  /** A short link not resolved yet (its host was unreachable too): resolved before the prepare. */
  z.object({ short_link: z.string().min(1) }).strict(),
]);
export type OfflineCouponQuery = z.infer<typeof OfflineCouponQuery>;

/**
 * The request of a coupon admitted offline until its prepare is answered: what was scanned and
 * how many the staff let in. The prepare's answer replaces it with a plain coupon verify request
 * (Douyin's verify_token and the chosen encrypted codes) in the attempt's own transaction, before
 * that verify is sent; from then on it is retried like any coupon verify and never prepared again.
 */
const OfflineCouponRequest = z
  .object({ offline_prepare: OfflineCouponQuery, poi_id: z.string().min(1), people: z.number().int().min(1) })
  .strict();
export type OfflineCouponRequest = z.infer<typeof OfflineCouponRequest>;

/** The request as stored, when it is still an offline admission's; undefined for a verify request. */
export function offlineCouponRequestOf(request: string): OfflineCouponRequest | undefined {
  if (!request.includes('"offline_prepare"')) return undefined;
  return OfflineCouponRequest.parse(JSON.parse(request));
}

/** The attempt's outcome once a prepare was answered and its verify request written. */
export const PREPARED_OUTCOME = 'prepared';

/** What the later prepare gave: the verify to send, or why there is none now. */
export type PrepareStep =
  | {
      kind: 'prepared';
      logid?: string | undefined;
      orderId: string;
      request: CouponVerifyRequest;
      title: string;
      chosen: PreparedCertificate[];
      /** Fewer certificates unused than people admitted: verified what there is, a conflict for the supervisor. */
      shortfall?: string | undefined;
    }
  | {
      kind: 'failed';
      outcome: FailureOutcome;
      /** Never to be retried as it stands: to needs attention with this reason (a conflict if people entered on a used coupon). */
      hold?: { reason: string; conflict: boolean } | undefined;
    };

export interface OfflineCouponPreparer {
  prepare(request: OfflineCouponRequest): Promise<PrepareStep>;
}
