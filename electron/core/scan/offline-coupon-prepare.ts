import type { CouponClient } from '../douyin/coupon-client';
import type { ShortLinkResolver } from '../douyin/short-link';
import type { OfflineCouponPreparer, OfflineCouponRequest, PrepareStep } from '../outbox/offline-coupon-item';
import { certificatesOffered } from './prepared-certificates';

export interface OfflinePrepareDeps {
  coupons: () => CouponClient;
  shortLinks: () => ShortLinkResolver;
  /** Certificates of this order in a verify of ours not answered yet (CouponRepository's). */
  pendingCertificates: (orderId: string) => ReadonlySet<string>;
  now: () => number;
}

/** Refused for good: the item waits for a supervisor, with Douyin's words. */
const hold = (reason: string, conflict: boolean, answered: { logid?: string } = {}): PrepareStep => ({
  kind: 'failed',
  outcome: {
    ...(answered.logid ? { logid: answered.logid } : {}),
    kind: 'rejected',
    description: reason,
    subDescription: '',
    retryable: false,
  },
  hold: { reason, conflict },
});

/**
 * The later prepare of a coupon admitted offline (issue 13 item 4), run by the outbox worker when
 * Douyin answers again. Prepare is read-only at Douyin, so until its answer is written it may be
 * asked again freely. It chooses at most as many certificates as people were let in; fewer
 * unused is a conflict (verified what there is), none a conflict held for the supervisor. QR
 * data lives only minutes: a stale one can no longer be prepared, which the supervisor is told.
 */
export function createOfflineCouponPreparer(deps: OfflinePrepareDeps): OfflineCouponPreparer {
  return {
    async prepare(request: OfflineCouponRequest): Promise<PrepareStep> {
      const scanned = request.offline_prepare;
      const people = request.people;
      let query: { code: string } | { encrypted_data: string };
      if ('short_link' in scanned) {
        const link = await deps.shortLinks().resolve(scanned.short_link);
        if (link.kind === 'unreachable') {
          return {
            kind: 'failed',
            outcome: { kind: 'transient', reason: 'connect_refused', reachedDouyin: false, message: link.message },
          };
        }
        if (link.kind !== 'resolved')
          return hold(`coupon_qr_expired · 短链接未给出券数据，无法补核销（已放行 ${people} 人）`, false);
        query = { encrypted_data: link.encryptedData };
      } else {
        query = scanned;
      }
      const prepared = await deps.coupons().prepare({ ...query, poi_id: request.poi_id });
      if (prepared.kind === 'rejected' && !prepared.retryable) {
        const words = [prepared.description, prepared.subDescription].filter(Boolean).join(' — ');
        const why =
          'code' in query
            ? `coupon_code_refused · 抖音不认此券码：${words}（已放行 ${people} 人）`
            : `coupon_qr_expired · 二维码数据已失效，无法补核销：${words}（已放行 ${people} 人）`;
        return hold(why, false, prepared);
      }
      if (prepared.kind !== 'ok') return { kind: 'failed', outcome: prepared };

      const { data } = prepared;
      const offered = certificatesOffered(data, deps.pendingCertificates(data.order_id), Math.floor(deps.now() / 1000));
      const chosen = offered.usable.slice(0, people);
      if (chosen.length === 0) {
        return offered.listed === 0
          ? hold(`used_elsewhere · 抖音已无未使用的券（已使用或已退款），已放行 ${people} 人`, true, prepared)
          : hold(`coupon_expired · 券已过期或未到使用时间，已放行 ${people} 人`, false, prepared);
      }
      return {
        kind: 'prepared',
        logid: prepared.logid,
        orderId: data.order_id,
        request: {
          verify_token: data.verify_token,
          poi_id: request.poi_id,
          encrypted_codes: chosen.map((c) => c.encryptedCode),
          order_id: data.order_id,
        },
        title: offered.title,
        chosen,
        ...(chosen.length < people ? { shortfall: `仅 ${chosen.length} 张券可用，已放行 ${people} 人` } : {}),
      };
    },
  };
}
