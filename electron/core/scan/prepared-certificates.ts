import { z } from 'zod';
import type { CouponPrepareData } from '../douyin/coupon-schemas';

/** One certificate a prepare listed as unused and valid now. */
export const PreparedCertificate = z.object({
  encryptedCode: z.string(),
  certificateId: z.string(),
  amountFen: z.number().int().min(0),
  /** Unix seconds. */
  expireTime: z.number().int(),
});
export type PreparedCertificate = z.infer<typeof PreparedCertificate>;

/**
 * What a prepare offers this window now: the product, how many certificates it listed that no
 * verify of ours is still sending (Douyin lists those as unused until it answers: choosing them
 * again would verify them twice), and of those the ones valid at `nowS`.
 */
export function certificatesOffered(
  data: CouponPrepareData,
  pendingHere: ReadonlySet<string>,
  nowS: number,
): { title: string; listed: number; usable: PreparedCertificate[]; notYetValid: boolean } {
  const listed = data.certificates.filter((c) => !pendingHere.has(c.certificate_id));
  const usable = listed.filter((c) => c.start_time <= nowS && nowS < c.expire_time);
  return {
    title: data.certificates[0]?.sku.title ?? '',
    listed: listed.length,
    usable: usable.map((c) => ({
      encryptedCode: c.encrypted_code,
      certificateId: c.certificate_id,
      amountFen: c.amount.pay_amount ?? c.amount.original_amount ?? 0,
      expireTime: c.expire_time,
    })),
    notYetValid: listed.some((c) => c.start_time > nowS),
  };
}
