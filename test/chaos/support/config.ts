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
import type { SandboxOrderInput } from '../../../electron/sandbox';

/** Whole-order tickets valid today with 19-digit ids starting with `prefix` (any length). */
export function chaosOrders(count: number, prefix: string): SandboxOrderInput[] {
  return todaysOrders(count).map((order, i) => ({
    ...order,
    order_id: `${prefix}${String(i).padStart(19 - prefix.length, '0')}`,
  }));
}
