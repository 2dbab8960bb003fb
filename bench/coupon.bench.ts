import { request } from 'undici';
import { createClientCredentialsTokenSource, createCouponClient } from '../electron/core/douyin';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox, type CouponOrderInput } from '../electron/sandbox';
import type { BenchContext } from './run';
import { percentile, type Figures } from './summary';

const POI = '7000000000000000001';

/** One-certificate coupons, each with its own plain code, valid for years. */
function oneCertificateCoupons(n: number): CouponOrderInput[] {
  return Array.from({ length: n }, (_, i) => ({
    order_id: `1091${String(i).padStart(15, '0')}`,
    poi_ids: [POI],
    sku: { sku_id: '1', title: '成人门票（团购）', groupon_type: 1 },
    certificates: [
      {
        certificate_id: `7400${String(i).padStart(15, '0')}`,
        code: `3${String(i).padStart(11, '0')}`,
        original_amount: 9900,
        pay_amount: 9900,
        start_time: 0,
        expire_time: 4_000_000_000,
      },
    ],
  }));
}

/**
 * Stage one (no durable coupon path yet): prepare + verify of a one-certificate coupon through
 * the coupon client vs the same two requests (GET + POST) sent raw with undici, interleaved,
 * the sandbox answering after `latencyMs`. Stage two adds the durable writes to the client side.
 */
async function overhead(pairs: number, latencyMs: number): Promise<{ client: number[]; raw: number[] }> {
  const coupons = oneCertificateCoupons(2 * (pairs + 5));
  const sandbox = await startSandbox({ coupons });
  const tokenSource = createClientCredentialsTokenSource({
    baseUrl: sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: SANDBOX_CLIENT_SECRET,
  });
  const client = createCouponClient({ baseUrl: sandbox.url, tokenSource });
  try {
    const token = await tokenSource.get();
    sandbox.setLatency(latencyMs);
    const headers = { 'content-type': 'application/json', 'access-token': token };
    const clientTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let i = 0; i < pairs + 5; i += 1) {
      const viaClient = coupons[2 * i]!.certificates[0]!.code;
      const viaRaw = coupons[2 * i + 1]!.certificates[0]!.code;

      let t = performance.now();
      const prepared = await client.prepare({ code: viaClient, poi_id: POI });
      if (prepared.kind !== 'ok') throw new Error(`prepare failed: ${JSON.stringify(prepared)}`);
      const verified = await client.verify({
        verify_token: prepared.data.verify_token,
        poi_id: POI,
        encrypted_codes: [prepared.data.certificates[0]!.encrypted_code],
      });
      const clientMs = performance.now() - t;
      if (verified.kind !== 'ok' || verified.data.results[0]?.verdict !== 'verified') throw new Error('client verify failed');

      t = performance.now();
      const rawPrepare = await request(
        `${sandbox.url}/goodlife/v1/fulfilment/certificate/prepare/?code=${viaRaw}&poi_id=${POI}`,
        { headers },
      );
      const data = (
        (await rawPrepare.body.json()) as { data: { verify_token: string; certificates: { encrypted_code: string }[] } }
      ).data;
      const rawVerify = await request(`${sandbox.url}/goodlife/v1/fulfilment/certificate/verify/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          verify_token: data.verify_token,
          poi_id: POI,
          encrypted_codes: [data.certificates[0]!.encrypted_code],
        }),
      });
      await rawVerify.body.text();
      const rawMs = performance.now() - t;
      if (i >= 5) {
        // The first few warm up connections and JIT on both sides.
        clientTimes.push(clientMs);
        rawTimes.push(rawMs);
      }
    }
    return { client: clientTimes, raw: rawTimes };
  } finally {
    await client.close();
    tokenSource.close?.();
    await sandbox.close();
  }
}

export async function run(ctx: BenchContext): Promise<Figures> {
  const pairs = ctx.quick ? 60 : 300;
  const mobile = await overhead(pairs, 30);
  const ratios = mobile.client.map((c, i) => c / mobile.raw[i]!);
  return {
    coupon_pairs: pairs,
    coupon_overhead_ratio_p50: percentile(ratios, 50),
    coupon_overhead_ratio_p99: percentile(ratios, 99),
    coupon_client_ms_p50_at_30ms: percentile(mobile.client, 50),
    coupon_raw_ms_p50_at_30ms: percentile(mobile.raw, 50),
    coupon_overhead_scope: 'client only (stage one: no durable coupon path yet)',
  };
}
