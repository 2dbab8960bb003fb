import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../electron/core/outbox/limiter';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('rate limiter', () => {
  it('spaces calls evenly at the configured rate', () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, monotonic: c.now });
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 100, 200]);
  });

  it('lets a visitor at the window go first, pushing the queue back', () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, monotonic: c.now });
    limiter.reserve();
    limiter.reserve();
    expect(limiter.reserve(true)).toBe(0);
    expect(limiter.reserve()).toBe(300);
  });

  it('halves the rate on 2119003, not below the floor, and recovers after a quiet spell', () => {
    const c = clock();
    const limiter = new RateLimiter({ ratePerSecond: 16, floor: 1 / 4, recoverAfterMs: 1000, monotonic: c.now });
    limiter.slowDown();
    expect(limiter.currentRate).toBe(8);
    limiter.slowDown(); // within one interval of the last: the same storm, counted once
    expect(limiter.currentRate).toBe(8);
    for (let i = 0; i < 5; i += 1) {
      c.advance(200);
      limiter.slowDown();
    }
    expect(limiter.currentRate).toBe(4);
    c.advance(1000);
    limiter.reserve();
    expect(limiter.currentRate).toBe(6);
    for (let i = 0; i < 10; i += 1) {
      c.advance(1000);
      limiter.reserve();
    }
    expect(limiter.currentRate).toBe(16);
  });
});
