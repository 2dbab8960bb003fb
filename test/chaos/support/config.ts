import { mergeSummary, printTable, type Figures } from '../../../bench/summary';

/** `npm run test:chaos -- --full` sets CHAOS_FULL=1; CI runs the short version. */
export const FULL = process.env.CHAOS_FULL === '1';

/** One seed per run, printed, so a failure can be replayed with CHAOS_SEED=<seed>. */
export const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31);

/** Small deterministic PRNG (mulberry32): the same seed gives the same storm. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Figures go to bench/out/summary.json (other keys kept) and to the log. */
export function report(title: string, figures: Figures): void {
  mergeSummary(figures);
  printTable(`${title} (${FULL ? 'full' : 'ci'}, seed ${SEED})`, figures);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

import { todaysOrders } from '../../support/core-harness';
import type { CouponOrderInput, SandboxOrderInput } from '../../../electron/sandbox';

/** Whole-order tickets valid today with 19-digit ids starting with `prefix` (any length). */
export function chaosOrders(count: number, prefix: string): SandboxOrderInput[] {
  return todaysOrders(count).map((order, i) => ({
    ...order,
    order_id: `${prefix}${String(i).padStart(19 - prefix.length, '0')}`,
  }));
}

/** A coupon of the storm: the plain code the staff type, and what Douyin knows it by. */
export interface ChaosCoupon {
  code: string;
  orderId: string;
  certificateId: string;
}

/**
 * One-certificate Douyin-code coupons valid for years, ids built from `prefix` (two digits) so
 * that each storm's coupons are its own. The staff scan the plain code; one certificate
 * verifies at once, as at a real gate.
 */
export function chaosCoupons(count: number, prefix: string): { book: CouponOrderInput[]; coupons: ChaosCoupon[] } {
  const coupons = Array.from({ length: count }, (_, i) => ({
    code: `${prefix}${String(i).padStart(10, '0')}`,
    orderId: `10${prefix}${String(i).padStart(15, '0')}`,
    certificateId: `75${prefix}${String(i).padStart(15, '0')}`,
  }));
  const book = coupons.map((c) => ({
    order_id: c.orderId,
    poi_ids: ['7000000000000000001'],
    sku: { sku_id: `${prefix}1`, title: '成人门票（团购）', groupon_type: 1 },
    certificates: [
      {
        certificate_id: c.certificateId,
        code: c.code,
        original_amount: 9900,
        pay_amount: 9900,
        start_time: 0,
        expire_time: 4_000_000_000,
      },
    ],
  }));
  return { book, coupons };
}

/** Coupons put among the trip tickets, one every `every` scans, as they would come to a gate. */
export function mixIn(tickets: readonly string[], coupons: readonly ChaosCoupon[], every: number): string[] {
  const out: string[] = [];
  let c = 0;
  for (const [i, ticket] of tickets.entries()) {
    if (i % every === every - 1 && c < coupons.length) out.push(coupons[c++]!.code);
    out.push(ticket);
  }
  return out;
}
