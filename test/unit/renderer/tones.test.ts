import { describe, expect, it } from 'vitest';
import { TONES } from '../../../renderer/features/result/tones';

const signature = (verdict: keyof typeof TONES) => JSON.stringify(TONES[verdict].map((t) => [t.frequency, t.wave, t.duration]));

describe('verdict tones', () => {
  it('are distinct for verified, offline and refused', () => {
    expect(new Set([signature('verified'), signature('offline'), signature('refused')]).size).toBe(3);
  });

  it('rise for verified and sit low for refused', () => {
    const [first, second] = TONES.verified;
    expect(second!.frequency).toBeGreaterThan(first!.frequency);
    expect(Math.max(...TONES.refused.map((t) => t.frequency))).toBeLessThan(Math.min(...TONES.verified.map((t) => t.frequency)));
  });

  it('are over within 600 ms and never overlap within one verdict', () => {
    for (const tones of Object.values(TONES)) {
      const end = Math.max(...tones.map((t) => t.at + t.duration));
      expect(end).toBeLessThanOrEqual(600);
      tones.slice(1).forEach((t, i) => expect(t.at).toBeGreaterThanOrEqual(tones[i]!.at + tones[i]!.duration));
    }
  });
});
