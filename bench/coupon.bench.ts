import { request } from 'undici';
import { createCoreWithParts } from '../electron/core/app';
import { createClientCredentialsTokenSource, createCouponClient, type TokenSource } from '../electron/core/douyin';
import { plainCodec } from '../electron/core/secrets/store';
import { connectPlatform } from '../electron/platform/connect';
import {
  SANDBOX_CLIENT_KEY,
  SANDBOX_CLIENT_SECRET,
  startSandbox,
  type CouponOrderInput,
  type Sandbox,
} from '../electron/sandbox';
import { sandboxEnv } from '../test/support/core-harness';
import { tempDir } from '../test/support/temp';
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

/** The baseline: prepare (GET) and verify (POST) sent raw with undici, the answers read, nothing else. */
async function rawPrepareVerify(sandbox: Sandbox, token: string, code: string): Promise<void> {
  const headers = { 'content-type': 'application/json', 'access-token': token };
  const prepared = await request(`${sandbox.url}/goodlife/v1/fulfilment/certificate/prepare/?code=${code}&poi_id=${POI}`, {
    headers,
  });
  const data = ((await prepared.body.json()) as { data: { verify_token: string; certificates: { encrypted_code: string }[] } })
    .data;
  const verified = await request(`${sandbox.url}/goodlife/v1/fulfilment/certificate/verify/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      verify_token: data.verify_token,
      poi_id: POI,
      encrypted_codes: [data.certificates[0]!.encrypted_code],
    }),
  });
  await verified.body.text();
}

/**
 * Ours against the raw pair, interleaved, the sandbox answering after `latencyMs`: `viaOurs`
 * does one coupon's prepare + verify its own way. The first few pairs warm up connections and
 * JIT on both sides and are not counted.
 */
async function interleaved(
  sandbox: Sandbox,
  tokenSource: TokenSource,
  coupons: CouponOrderInput[],
  pairs: number,
  latencyMs: number,
  viaOurs: (code: string) => Promise<void>,
): Promise<{ ours: number[]; raw: number[] }> {
  const token = await tokenSource.get();
  sandbox.setLatency(latencyMs);
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < pairs + 5; i += 1) {
    let t = performance.now();
    await viaOurs(coupons[2 * i]!.certificates[0]!.code);
    const oursMs = performance.now() - t;
    t = performance.now();
    await rawPrepareVerify(sandbox, token, coupons[2 * i + 1]!.certificates[0]!.code);
    const rawMs = performance.now() - t;
    if (i >= 5) {
      ours.push(oursMs);
      raw.push(rawMs);
    }
  }
  return { ours, raw };
}

/**
 * Issue 13 item 10: a one-certificate coupon scanned through the core (scan.submit: parse,
 * prepare, the durable write of prepare, scan and verify request, verify, the answer's write)
 * against the raw GET + POST. Also the coupon client alone against the same pair, which splits
 * what the client costs from what the core's durable path adds.
 */
async function overhead(
  pairs: number,
  latencyMs: number,
): Promise<{ core: Awaited<ReturnType<typeof interleaved>>; client: Awaited<ReturnType<typeof interleaved>> }> {
  const coupons = oneCertificateCoupons(4 * (pairs + 5));
  const sandbox = await startSandbox({ coupons });
  const dir = tempDir('tw-bench-coupon-');
  const core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: sandboxEnv(sandbox),
    secretCodec: plainCodec,
  });
  const tokenSource = createClientCredentialsTokenSource({
    baseUrl: sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: SANDBOX_CLIENT_SECRET,
  });
  const client = createCouponClient({ baseUrl: sandbox.url, tokenSource });
  try {
    core.settings.update({ poiId: POI, verifyRatePerSecond: 200 });
    const half = 2 * (pairs + 5);
    const viaCore = await interleaved(sandbox, tokenSource, coupons.slice(0, half), pairs, latencyMs, async (code) => {
      const answer = await core.routes['scan.submit']({ raw: code, source: 'scanner' });
      if (answer.verdict !== 'verified') throw new Error(`core coupon scan failed: ${answer.reason}`);
    });
    const viaClient = await interleaved(sandbox, tokenSource, coupons.slice(half), pairs, latencyMs, async (code) => {
      const prepared = await client.prepare({ code, poi_id: POI });
      if (prepared.kind !== 'ok') throw new Error(`prepare failed: ${JSON.stringify(prepared)}`);
      const verified = await client.verify({
        verify_token: prepared.data.verify_token,
        poi_id: POI,
        encrypted_codes: [prepared.data.certificates[0]!.encrypted_code],
      });
      if (verified.kind !== 'ok' || verified.data.results[0]?.verdict !== 'verified') throw new Error('client verify failed');
    });
    return { core: viaCore, client: viaClient };
  } finally {
    await client.close();
    tokenSource.close?.();
    await core.close();
    await sandbox.close();
    dir.remove();
  }
}

export async function run(ctx: BenchContext): Promise<Figures> {
  const pairs = ctx.quick ? 60 : 300;
  const { core, client } = await overhead(pairs, 30);
  const ratios = (side: { ours: number[]; raw: number[] }) => side.ours.map((c, i) => c / side.raw[i]!);
  return {
    coupon_pairs: pairs,
    coupon_overhead_ratio_p50: percentile(ratios(core), 50),
    coupon_overhead_ratio_p99: percentile(ratios(core), 99),
    coupon_core_ms_p50_at_30ms: percentile(core.ours, 50),
    coupon_raw_ms_p50_at_30ms: percentile(core.raw, 50),
    coupon_client_only_ratio_p50: percentile(ratios(client), 50),
    coupon_client_only_ratio_p99: percentile(ratios(client), 99),
    coupon_overhead_scope: 'scan.submit through the core (prepare, durable writes, verify) vs raw GET + POST',
  };
}
