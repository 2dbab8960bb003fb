import { certificateState } from '../douyin/coupon-answer';
import type { CouponClient } from '../douyin/coupon-client';
import type { CouponVerifyRequest } from '../douyin/coupon-schemas';
import type { FailureOutcome, VerifyOutcome } from '../douyin/outcome';

/** A certificate Douyin verified for us: the undo needs both ids. */
export interface VerifiedCertificate {
  certificateId: string;
  verifyId: string;
}

export type CouponSendOutcome = VerifyOutcome & { certificates?: VerifiedCertificate[] };

/**
 * One coupon verify as the outbox sees it: the same outcome classes as a trip verify, so the
 * worker's retry, backoff and "already verified is ours only if we reached Douyin" rules apply
 * unchanged. Per certificate, result 0 is verified and 1208/2 already verified; the order counts
 * as verified when no certificate was refused outright.
 */
export async function sendCouponVerify(
  client: CouponClient,
  request: CouponVerifyRequest,
  options: {
    signal?: AbortSignal;
    /** Whether an earlier attempt of this very request may have reached Douyin (asked only when needed). */
    earlierMayHaveReached?: () => boolean;
  } = {},
): Promise<CouponSendOutcome> {
  const outcome = await client.verify(request, options);
  if (outcome.kind !== 'ok') {
    // The token refused outright (expired, or no longer known) after an attempt that may have
    // verified: only the status query can tell what that attempt did. A fresh prepare could
    // verify a second time, so none is made.
    const tokenRefused = outcome.kind === 'invalid_request' || (outcome.kind === 'rejected' && !outcome.retryable);
    if (tokenRefused && options.earlierMayHaveReached?.()) return settleByStatus(client, request, outcome, options);
    return outcome;
  }
  const results = outcome.data.results;
  const refused = results.filter((r) => r.verdict === 'refused');
  const base = {
    ...(outcome.logid ? { logid: outcome.logid } : {}),
    ...(outcome.httpStatus ? { httpStatus: outcome.httpStatus } : {}),
  };
  if (results.length === 0 || refused.length === results.length) {
    const first = refused[0];
    return {
      ...base,
      kind: 'rejected',
      ...(first ? { errorCode: first.result } : {}),
      description: first?.msg || '抖音未核销该券',
      subDescription: '',
      retryable: false,
    };
  }
  const certificates: VerifiedCertificate[] = [];
  let newlyVerified = 0;
  for (const r of results) {
    if (r.verdict === 'refused' || !r.certificate_id) continue;
    if (r.verdict === 'verified') newlyVerified += 1;
    // A repeat answers without verify_id: the status query has it (best effort; without it the
    // certificate cannot be undone from here, which the history then says).
    const verifyId = r.verify_id ?? (r.encrypted_code ? await verifyIdOf(client, r.encrypted_code, options) : undefined);
    if (verifyId) certificates.push({ certificateId: r.certificate_id, verifyId });
  }
  return {
    ...base,
    kind: 'verified',
    verifyResults: [],
    // Only when nothing was newly verified does the worker need to ask whose verify it was.
    alreadyVerified: newlyVerified === 0,
    ...(refused.length > 0 ? { description: refused.map((r) => r.msg).join('；') } : {}),
    certificates,
  };
}

/**
 * What an earlier attempt with a token Douyin no longer takes did, from certificate/get of each
 * chosen certificate: used ones count as ours (the same rule as a 1208 on a retry, which is why
 * this runs only after an attempt that may have reached Douyin), and when none is used Douyin
 * never verified the request. A status Douyin cannot give now keeps the item queued.
 */
async function settleByStatus(
  client: CouponClient,
  request: CouponVerifyRequest,
  refusal: FailureOutcome,
  options: { signal?: AbortSignal },
): Promise<CouponSendOutcome> {
  const certificates: VerifiedCertificate[] = [];
  const notVerified: string[] = [];
  for (const code of request.encrypted_codes) {
    const status = await client.getCertificate({ encrypted_code: code }, options);
    if (status.kind !== 'ok') return status;
    const state = certificateState(status.data.status);
    const verifyId = status.data.verify?.verify_id;
    if (state === 'used' && verifyId) certificates.push({ certificateId: status.data.certificate_id, verifyId });
    else if (state === 'used' || state === 'unknown') {
      // Used without a verify record, or a state this window does not know: nobody can say whose.
      return {
        kind: 'transient',
        reason: 'bad_body',
        reachedDouyin: true,
        message: `certificate ${status.data.certificate_id}: status ${status.data.status} without a verify record`,
      };
    } else notVerified.push(`${status.data.certificate_id} ${state}`);
  }
  const refusedWords = [refusal.description, refusal.subDescription].filter(Boolean).join(' / ');
  if (certificates.length === 0) {
    return {
      ...(refusal.logid ? { logid: refusal.logid } : {}),
      kind: 'rejected',
      ...(refusal.errorCode !== undefined ? { errorCode: refusal.errorCode } : {}),
      description: '抖音未核销：验券标识已失效，券仍未使用，请重新扫码',
      subDescription: `settled by status query (${notVerified.join(', ')}); verify answered: ${refusedWords}`,
      retryable: false,
    };
  }
  return {
    kind: 'verified',
    verifyResults: [],
    alreadyVerified: true,
    description: `settled by status query; verify answered: ${refusedWords}`,
    ...(notVerified.length > 0 ? { subDescription: `not verified: ${notVerified.join(', ')}` } : {}),
    certificates,
  };
}

async function verifyIdOf(
  client: CouponClient,
  encryptedCode: string,
  options?: { signal?: AbortSignal },
): Promise<string | undefined> {
  const status = await client.getCertificate({ encrypted_code: encryptedCode }, options);
  return status.kind === 'ok' ? (status.data.verify?.verify_id ?? undefined) : undefined;
}
