import { connectLivePlatform, type ConnectPlatform, type Platform } from '../core/platform';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, seedDemoOrders, startSandbox } from '../sandbox';
import { businessDate } from '../../shared/time';
import { demoVoucherOrders } from './demo-vouchers';

/**
 * Demo mode, a product feature: with no Douyin credentials the embedded sandbox answers, with a
 * demo order book dated today by the app's own clock (the sandbox runs on that clock too, so a
 * shifted clock does not make today's demo tickets "too early").
 */
async function connectDemoPlatform(now: () => number): Promise<Platform> {
  const orders = seedDemoOrders(businessDate(now()));
  const sandbox = await startSandbox({ orders, now });
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
    demo: { codes: orders.map((o) => ({ code: o.order_id, label: o.label })), vouchers: demoVoucherOrders(orders) },
    close: async () => {
      await live.close();
      await sandbox.close();
    },
  };
}

/** The choice of the Electron app and the web transport: Douyin when configured, else the demo. */
export const connectPlatform: ConnectPlatform = async (config, { now }) =>
  connectLivePlatform(config) ?? connectDemoPlatform(now);
