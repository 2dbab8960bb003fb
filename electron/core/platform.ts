import type { VoucherOrder } from '../../shared/vouchers/file';
import { createClientCredentialsTokenSource } from './douyin/client-credentials-token-source';
import { createCouponClient, type CouponClient } from './douyin/coupon-client';
import type { DouyinConfig } from './douyin/config';
import { createHubClient, createHubTokenSource } from './hub/client';
import { createTokenServiceTokenSource } from './douyin/token-service-token-source';
import type { TokenSource } from './douyin/token-source';
import { createTripVerifyClient, type TripVerifyClient } from './douyin/verify-client';

/** What demo mode brings: the orders the scan screen lists, and vouchers so their codes scan. */
interface DemoBook {
  codes: { code: string; label: string }[];
  vouchers: VoucherOrder[];
  /** The embedded sandbox's short-link origin, trusted in demo mode so its coupon QR scans. */
  shortLinkHosts?: string;
  /** The sandbox's store, verified for when the POI setting is empty. */
  poiId?: string;
  /** The sandbox's merchant account, for reconciliation and pre-imported codes when the setting is empty. */
  accountId?: string;
  /** The visitor's coupon QR of a demo coupon order right now (it changes after a verify). */
  couponQr?: (orderId: string) => { shortLink: string } | undefined;
}

export interface Platform {
  mode: 'demo' | 'live';
  verifier: TripVerifyClient;
  /** Douyin-code coupons: prepare, verify, cancel, on the same token as the trip verify. */
  coupons: CouponClient;
  demo?: DemoBook;
  close(): Promise<void>;
}

/**
 * How the composition root gets its platform. The entry points choose it, so demo mode (an
 * embedded sandbox) is wired from outside and the core never depends on the sandbox.
 */
export type ConnectPlatform = (config: DouyinConfig, context: { now: () => number }) => Promise<Platform>;

/**
 * Douyin as this install is configured: a provider token service (fleet-safe) or this window's
 * own client credentials. None configured: undefined, and the entry point's choice decides.
 */
/**
 * @param tokenClock the clock the token caches run on: the embedded sandbox's own (demo mode), or
 *   real time for Douyin, whose token lifetimes a jump of this PC's clock does not change.
 */
export function connectLivePlatform(config: DouyinConfig, tokenClock?: () => number): Platform | undefined {
  const { token, baseUrl } = config;
  let tokenSource: TokenSource;
  if (token.kind === 'site_hub')
    tokenSource = createHubTokenSource(createHubClient(token), tokenClock ? { now: tokenClock } : {});
  else if (token.kind === 'token_service')
    tokenSource = createTokenServiceTokenSource({ url: token.url, ...(tokenClock ? { now: tokenClock } : {}) });
  else if (token.kind === 'client_credentials')
    tokenSource = createClientCredentialsTokenSource({ baseUrl, ...token, ...(tokenClock ? { now: tokenClock } : {}) });
  else return undefined;
  const verifier = createTripVerifyClient({ baseUrl, tokenSource });
  const coupons = createCouponClient({ baseUrl, tokenSource });
  return {
    mode: 'live',
    verifier,
    coupons,
    close: async () => {
      await verifier.close();
      await coupons.close();
      tokenSource.close?.();
    },
  };
}
