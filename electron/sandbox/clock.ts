/** Milliseconds since the epoch; injectable so tests can jump hours without waiting. */
export type Clock = () => number;

export interface ManualClock {
  now: Clock;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

/** YYYY-MM-DD of `ms` in Asia/Shanghai (UTC+8, no daylight saving), where the gates are. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
