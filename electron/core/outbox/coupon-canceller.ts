import { z } from 'zod';
import type { CouponClient } from '../douyin/coupon-client';
import type { VerifyOutcome } from '../douyin/outcome';

/** 撤销核销: "验券超过一个小时就不可再撤销" (the platform's cancel page). */
export const UNDO_WINDOW_MS = 60 * 60_000;

/** What an undo item (outbox kind 'coupon_cancel') stores as its request. */
export const CouponCancelItem = z.strictObject({
  scanId: z.number().int().positive(),
  /** Unix ms after which Douyin refuses: one hour from the earliest verify of these certificates. */
  deadline: z.number().int(),
  certificates: z
    .array(z.strictObject({ certificateId: z.string().regex(/^\d+$/), verifyId: z.string().min(1), encryptedCode: z.string() }))
    .min(1),
});
export type CouponCancelItem = z.infer<typeof CouponCancelItem>;

export type CouponCancelOutcome = VerifyOutcome & { undone: string[] };

/**
 * One undo as the outbox sees it: the same outcome classes as a verify, so the worker's retry and
 * backoff rules apply unchanged. Certificates are cancelled one by one (Douyin's cancel takes one
 * certificate_id + verify_id); each one done is reported even when a later one fails, so a retry
 * knows it. "No such verify record" is settled by the status query: when the certificate is no
 * longer used under our verify_id, the verify is gone (our earlier attempt that lost its answer,
 * or an undo elsewhere), which is what the supervisor asked for. Douyin refusing is final: it is
 * the truth about the hour, even when it ends sooner than ours.
 */
export async function sendCouponCancel(
  client: CouponClient,
  item: CouponCancelItem,
  context: { now: number; mayHaveReached: boolean; alreadyUndone: ReadonlySet<string> },
): Promise<CouponCancelOutcome> {
  const undone: string[] = [];
  const todo = item.certificates.filter((c) => !context.alreadyUndone.has(c.certificateId));
  // Past the hour Douyin refuses anyway; unless an earlier attempt may have got through, nothing is sent.
  if (context.now > item.deadline && !context.mayHaveReached) {
    return {
      kind: 'rejected',
      description: '已超过可撤销时限（核销后一小时内可撤销）',
      subDescription: 'past the hour: not sent',
      retryable: false,
      undone,
    };
  }
  let last: CouponCancelOutcome | undefined;
  for (const c of todo) {
    const answer = await client.cancel({ certificate_id: c.certificateId, verify_id: c.verifyId });
    const base = {
      ...(answer.logid ? { logid: answer.logid } : {}),
      ...(answer.httpStatus ? { httpStatus: answer.httpStatus } : {}),
    };
    if (answer.kind === 'ok') {
      undone.push(c.certificateId);
      last = { ...base, kind: 'verified', verifyResults: [], alreadyVerified: false, undone };
      continue;
    }
    if (answer.kind === 'rejected') {
      if (await verifyGone(client, c)) {
        undone.push(c.certificateId);
        last = { ...base, kind: 'verified', verifyResults: [], alreadyVerified: true, undone };
        continue;
      }
      return { ...answer, retryable: false, undone };
    }
    return { ...answer, undone };
  }
  return last ?? { kind: 'verified', verifyResults: [], alreadyVerified: true, undone };
}

async function verifyGone(client: CouponClient, c: CouponCancelItem['certificates'][number]): Promise<boolean> {
  if (!c.encryptedCode) return false;
  const status = await client.getCertificate({ encrypted_code: c.encryptedCode });
  if (status.kind !== 'ok') return false;
  return status.data.status !== 2 || status.data.verify?.verify_id !== c.verifyId;
}
