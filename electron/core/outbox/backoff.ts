/**
 * When to try again, following the platform's published schedule for third-party codes:
 * every 5 s for the first 5 tries, then every 40 s, at most 14 tries, then a person looks.
 * Only tries that reached Douyin and failed count; a dead network is retried on its own,
 * capped interval so an outage never uses up an item's tries.
 */
export const MAX_COUNTED_TRIES = 14;
const FAST_TRIES = 5;
const FAST_DELAY_MS = 5_000;
const SLOW_DELAY_MS = 40_000;
const OFFLINE_FIRST_MS = 2_000;
export const OFFLINE_CAP_MS = 30_000;
/** Longest wait anything here schedules; a due time further ahead means the clock jumped back. */
export const MAX_SCHEDULED_DELAY_MS = SLOW_DELAY_MS * 1.25;

/** ±20 % so that windows which lost the network together do not come back in lock step. */
export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/** Delay before the next try after `tries` counted failures (1-based). */
export function retryDelayMs(tries: number, random?: () => number): number {
  return jitter(tries <= FAST_TRIES ? FAST_DELAY_MS : SLOW_DELAY_MS, random);
}

/** Delay before probing again after `consecutive` attempts that never reached Douyin. */
export function offlineDelayMs(consecutive: number, random?: () => number): number {
  const base = Math.min(OFFLINE_CAP_MS, OFFLINE_FIRST_MS * 2 ** Math.max(0, consecutive - 1));
  return jitter(base, random);
}
