import type { CouponClient } from '../douyin/coupon-client';
import type { CouponVerifyRequest } from '../douyin/coupon-schemas';
import type { VerifyOutcome } from '../douyin/outcome';

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
  options?: { signal?: AbortSignal },
): Promise<CouponSendOutcome> {
  const outcome = await client.verify(request, options);
  if (outcome.kind !== 'ok') return outcome;
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

async function verifyIdOf(
  client: CouponClient,
  encryptedCode: string,
  options?: { signal?: AbortSignal },
): Promise<string | undefined> {
  const status = await client.getCertificate({ encrypted_code: encryptedCode }, options);
  return status.kind === 'ok' ? (status.data.verify?.verify_id ?? undefined) : undefined;
}
