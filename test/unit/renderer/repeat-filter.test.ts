import { describe, expect, it } from 'vitest';
import { createRepeatFilter } from '../../../renderer/features/scan/repeat-filter';

describe('camera repeat filter', () => {
  it('passes a code once while it stays in view, however long', () => {
    const fresh = createRepeatFilter(3000);
    const seen = Array.from({ length: 100 }, (_, i) => fresh('TW1000000002', i * 300));
    expect(seen.filter(Boolean)).toHaveLength(1);
  });

  it('passes it again once it has been out of view for the quiet time', () => {
    const fresh = createRepeatFilter(3000);
    expect(fresh('A', 0)).toBe(true);
    expect(fresh('A', 2999)).toBe(false);
    expect(fresh('A', 6000)).toBe(true);
  });

  it('passes a different code at once', () => {
    const fresh = createRepeatFilter(3000);
    expect(fresh('A', 0)).toBe(true);
    expect(fresh('B', 10)).toBe(true);
    expect(fresh('A', 20)).toBe(true);
  });
});
