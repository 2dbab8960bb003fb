import {
  createCouponClient,
  createShortLinkResolver,
  parseShortLinkHosts,
  type CouponClient,
  type ShortLinkResolver,
} from '../../../electron/core/douyin';
import type { ManualClock, Sandbox, SandboxOptions } from '../../../electron/sandbox';
import { startTokenedSandbox } from '../douyin/harness';

export interface CouponRig {
  sandbox: Sandbox;
  clock: ManualClock;
  client: CouponClient;
  resolver: ShortLinkResolver;
  close(): Promise<void>;
}

/** Sandbox on a manual clock, the coupon client, and a resolver trusting only the sandbox's short-link host. */
export async function startCouponRig(options: { sandbox?: SandboxOptions; timeoutMs?: number } = {}): Promise<CouponRig> {
  const { clock, sandbox, tokenSource, close } = await startTokenedSandbox(options.sandbox);
  const client = createCouponClient({ baseUrl: sandbox.url, tokenSource, timeoutMs: options.timeoutMs ?? 2_000 });
  const resolver = createShortLinkResolver({ hosts: parseShortLinkHosts(sandbox.coupons.shortLinkUrl) });
  return {
    sandbox,
    clock,
    client,
    resolver,
    close: async () => {
      await client.close();
      await resolver.close();
      await close();
    },
  };
}

/** Demo coupon orders (seedDemoCoupons) and their certificates. */
export const ONE = { order: '1090000000000000001', cert: '7200000000000000001', code: '100000000001' };
export const THREE = {
  order: '1090000000000000002',
  certs: ['7200000000000000002', '7200000000000000003', '7200000000000000004'],
  code: '100000000003',
};
export const EXPIRED = { code: '100000000005' };
export const NOT_YET = { code: '100000000006' };
export const REFUNDED = { order: '1090000000000000005', cert: '7200000000000000007', code: '100000000007' };
export const USED = { code: '100000000008' };
export const POI = '7000000000000000001';
