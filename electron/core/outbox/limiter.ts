/**
 * A pacing limiter for verify calls across the whole queue. It spaces calls evenly at the
 * current rate, and the rate adapts: halved on every "too frequent" answer (2119003), then
 * creeping back up after a quiet spell. Time is monotonic so a wall-clock jump cannot stall it.
 */
export interface RateLimiterOptions {
  ratePerSecond: number;
  /** Lowest fraction of the configured rate a storm can push us down to. */
  floor?: number;
  /** How long without a 2119003 before the rate steps back up. */
  recoverAfterMs?: number;
  monotonic?: () => number;
}

export class RateLimiter {
  private rate: number;
  private factor = 1;
  private nextSlot = 0;
  private lastSlowdown = -Infinity;
  private readonly floor: number;
  private readonly recoverAfterMs: number;
  private readonly monotonic: () => number;

  constructor(options: RateLimiterOptions) {
    this.rate = options.ratePerSecond;
    this.floor = options.floor ?? 1 / 16;
    this.recoverAfterMs = options.recoverAfterMs ?? 5_000;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  get currentRate(): number {
    return this.rate * this.factor;
  }

  setRate(ratePerSecond: number): void {
    this.rate = ratePerSecond;
  }

  /** How long until a slot is free, without taking it: the queue claims an item only then. */
  nextWait(): number {
    this.recover();
    return Math.max(0, this.nextSlot - this.monotonic());
  }

  /**
   * Reserves the next slot and says how long to wait for it. A priority caller (a visitor at the
   * window) takes a slot now, and the queue's later slots move back to make room.
   */
  reserve(priority = false): number {
    this.recover();
    const now = this.monotonic();
    const interval = 1000 / this.currentRate;
    if (priority) {
      this.nextSlot = Math.max(this.nextSlot, now) + interval;
      return 0;
    }
    const slot = Math.max(this.nextSlot, now);
    this.nextSlot = slot + interval;
    return slot - now;
  }

  /** Multiplicative decrease on 2119003; repeated answers within one interval count once. */
  slowDown(): void {
    const now = this.monotonic();
    if (now - this.lastSlowdown < 1000 / this.currentRate) return;
    this.lastSlowdown = now;
    this.factor = Math.max(this.floor, this.factor / 2);
    this.nextSlot = Math.max(this.nextSlot, now) + 1000 / this.currentRate;
  }

  private recover(): void {
    if (this.factor >= 1) return;
    const now = this.monotonic();
    if (now - this.lastSlowdown < this.recoverAfterMs) return;
    this.factor = Math.min(1, this.factor * 1.5);
    this.lastSlowdown = now - this.recoverAfterMs / 2;
  }
}
