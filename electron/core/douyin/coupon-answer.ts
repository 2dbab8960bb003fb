import type { z } from 'zod';
import { classifyErrorCode, envelopeBase, httpFallback, type HttpAnswer } from './classify-answer';
import { douyinEnvelopeSchema, type CouponVerifyResult } from './coupon-schemas';
import { parseJsonKeepingInt64 } from './int64-json';
import type { FailureOutcome, OutcomeBase } from './outcome';

/** A coupon endpoint's answer: its parsed data, or the same failure classes as a trip verify. */
export type CouponOutcome<T> = (OutcomeBase & { kind: 'ok'; data: T }) | FailureOutcome;

/** Pure: one HTTP answer from a coupon endpoint → the outcome, with `data` checked by `schema`. */
export function classifyCouponAnswer<T>(answer: HttpAnswer, schema: z.ZodType<T, unknown>): CouponOutcome<T> {
  const httpStatus = answer.status;
  let json: unknown;
  try {
    json = parseJsonKeepingInt64(answer.body);
  } catch {
    return httpFallback(httpStatus, 'answer is not JSON (or was cut short)');
  }
  const envelope = douyinEnvelopeSchema.safeParse(json);
  if (!envelope.success) return httpFallback(httpStatus, `answer is not a Douyin envelope: ${envelope.error.message}`);
  const { data, extra } = envelope.data;
  const { errorCode, base } = envelopeBase(httpStatus, data, extra);
  if (errorCode !== 0) return classifyErrorCode(errorCode, base);
  if (httpStatus < 200 || httpStatus >= 300) return httpFallback(httpStatus, 'success envelope with a non-2xx status', base);
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      ...base,
      kind: 'transient',
      reason: 'bad_body',
      reachedDouyin: true,
      message: `unexpected data: ${parsed.error.message}`,
    };
  }
  return { ...base, kind: 'ok', data: parsed.data };
}

/**
 * Per certificate, success is `result == 0` (with error_code 0 for the call). 1208 and 2 mean
 * the certificate is verified already: our own success only when an earlier attempt of the same
 * request reached Douyin, otherwise it was used elsewhere. That history is the caller's to know.
 */
const ALREADY_VERIFIED_RESULTS: ReadonlySet<number> = new Set([1208, 2]);

export type CertificateVerdict = 'verified' | 'already_verified' | 'refused';

export function certificateVerdict(result: CouponVerifyResult): CertificateVerdict {
  if (result.result === 0) return 'verified';
  return ALREADY_VERIFIED_RESULTS.has(result.result) ? 'already_verified' : 'refused';
}

/** certificate/get `status`: 1 unused, 2 used, 3–6 refund states. */
export type CertificateState = 'unused' | 'used' | 'refund' | 'unknown';

export function certificateState(status: number): CertificateState {
  if (status === 1) return 'unused';
  if (status === 2) return 'used';
  return status >= 3 && status <= 6 ? 'refund' : 'unknown';
}
