import { connectLivePlatform, type ConnectPlatform, type Platform } from '../core/platform';
import {
  DEMO_POI_ID,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_CLIENT_KEY,
  SANDBOX_CLIENT_SECRET,
  seedDemoCoupons,
  seedDemoOrders,
  startSandbox,
} from '../sandbox';
import { businessDate } from '../../shared/time';
import { demoVoucherOrders } from './demo-vouchers';

/**
 * Demo mode, a product feature: with no Douyin credentials the embedded sandbox answers, with a
 * demo order book dated today by the app's own clock (the sandbox runs on that clock too, so a
 * shifted clock does not make today's demo tickets "too early").
 */
async function connectDemoPlatform(now: () => number): Promise<Platform> {
  const orders = seedDemoOrders(businessDate(now()));
  const coupons = seedDemoCoupons(now());
  const sandbox = await startSandbox({ orders, coupons, now });
  const live = connectLivePlatform(
    {
      baseUrl: sandbox.url,
      token: { kind: 'client_credentials', clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET },
    },
    now,
  )!;
  return {
    mode: 'demo',
    verifier: live.verifier,
    coupons: live.coupons,
    demo: {
      codes: [
        ...orders.map((o) => ({ code: o.order_id, label: o.label })),
        // A coupon is shown by its first certificate's plain code, as a visitor reads it out.
        ...coupons.map((o) => ({ code: o.certificates[0]!.code, label: o.label, couponOrderId: o.order_id })),
      ],
      vouchers: demoVoucherOrders(orders),
      shortLinkHosts: sandbox.coupons.shortLinkUrl,
      poiId: DEMO_POI_ID,
      accountId: SANDBOX_ACCOUNT_ID,
      couponQr: (orderId) =>
        coupons.some((o) => o.order_id === orderId) ? { shortLink: sandbox.coupons.qr(orderId).shortLink } : undefined,
    },
    close: async () => {
      await live.close();
      await sandbox.close();
    },
  };
}

/** The choice of the Electron app and the web transport: Douyin when configured, else the demo. */
export const connectPlatform: ConnectPlatform = async (config, { now }) =>
  connectLivePlatform(config) ?? connectDemoPlatform(now);
