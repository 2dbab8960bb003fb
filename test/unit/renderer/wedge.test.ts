import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWedgeDetector, WEDGE_DEFAULTS, type WedgeDetector, type WedgeStep } from '../../../renderer/features/scan/wedge';

/** Feeds keys as the DOM hook would, running the quiet-time expiry before each key. */
function run(detector: WedgeDetector, events: Array<[key: string, at: number]>, end = Infinity) {
  const scans: string[] = [];
  let typed = '';
  const passed: string[] = [];
  for (const [key, at] of events) {
    const step: WedgeStep = detector.feed(key, at);
    typed += step.replay;
    if (step.action === 'scan') scans.push(step.text);
    if (step.action === 'pass') passed.push(key);
  }
  typed += detector.expire(end);
  return { scans, typed, passed };
}

const burst = (text: string, start: number, gap: number, suffix = 'Enter'): Array<[string, number]> =>
  [...text, suffix].map((key, i) => [key, start + i * gap]);

describe('scanner wedge detector', () => {
  it('takes a burst at 1 ms between keys, every character, and swallows the Enter', () => {
    const { scans, typed, passed } = run(createWedgeDetector(), burst('TW1000000002', 1000, 1));
    expect(scans).toEqual(['TW1000000002']);
    expect(typed).toBe('');
    expect(passed).toEqual([]);
  });

  it('takes a burst even when all keys carry the same timestamp (a queued-up event loop)', () => {
    expect(run(createWedgeDetector(), burst('11010519491231002X', 50, 0)).scans).toEqual(['11010519491231002X']);
  });

  it('ignores the Shift presses a wedge sends for capital letters', () => {
    const events: Array<[string, number]> = [
      ['Shift', 0],
      ['T', 1],
      ['Shift', 2],
      ['W', 3],
      ['1', 4],
      ['2', 5],
      ['3', 6],
      ['Enter', 7],
    ];
    expect(run(createWedgeDetector(), events).scans).toEqual(['TW123']);
  });

  it('honours a Tab suffix and a configured one', () => {
    expect(run(createWedgeDetector(), burst('TW1000000001', 0, 5, 'Tab')).scans).toEqual(['TW1000000001']);
    const custom = createWedgeDetector({ ...WEDGE_DEFAULTS, terminators: ['F9'] });
    expect(run(custom, burst('TW1000000001', 0, 5, 'F9')).scans).toEqual(['TW1000000001']);
    expect(run(createWedgeDetector({ ...WEDGE_DEFAULTS, terminators: ['F9'] }), burst('TW1000000001', 0, 5)).scans).toEqual([]);
  });

  it('hands human typing back in order and lets its Enter through', () => {
    const { scans, typed, passed } = run(createWedgeDetector(), burst('TW1000000001', 0, 120));
    expect(scans).toEqual([]);
    expect(typed).toBe('TW1000000001');
    expect(passed).toEqual(['Enter']);
  });

  it('gives held keys back before a non-character key acts (Backspace, arrows)', () => {
    const detector = createWedgeDetector();
    detector.feed('a', 0);
    detector.feed('b', 10);
    expect(detector.feed('Backspace', 20)).toEqual({ action: 'pass', replay: 'ab' });
  });

  it('treats a short fast pair then Enter as typing, not a scan', () => {
    const { scans, typed, passed } = run(createWedgeDetector(), burst('12', 0, 5));
    expect(scans).toEqual([]);
    expect(typed).toBe('12');
    expect(passed).toEqual(['Enter']);
  });

  it('a slow Enter after a fast run is typing: the text goes to the field', () => {
    const events: Array<[string, number]> = [...burst('TW1000000001', 0, 2).slice(0, -1), ['Enter', 500]];
    const { scans, typed, passed } = run(createWedgeDetector(), events);
    expect(scans).toEqual([]);
    expect(typed).toBe('TW1000000001');
    expect(passed).toEqual(['Enter']);
  });

  it('splits typed text from a burst that follows it', () => {
    const events = [...burst('ab', 0, 200).slice(0, -1), ...burst('TW1000000003', 1000, 3)];
    const { scans, typed } = run(createWedgeDetector(), events);
    expect(typed).toBe('ab');
    expect(scans).toEqual(['TW1000000003']);
  });

  it('never starts a burst with a space, so a focused button still gets it', () => {
    expect(createWedgeDetector().feed(' ', 0)).toEqual({ action: 'pass', replay: '' });
  });

  it('releases everything it holds on demand (IME, shortcuts)', () => {
    const detector = createWedgeDetector();
    detector.feed('x', 0);
    detector.feed('y', 1);
    expect(detector.release()).toBe('xy');
    expect(detector.expire(10_000)).toBe('');
  });

  it('keeps held keys while the burst may still continue', () => {
    const detector = createWedgeDetector();
    detector.feed('x', 0);
    expect(detector.expire(WEDGE_DEFAULTS.maxGapMs)).toBe('');
    expect(detector.expire(WEDGE_DEFAULTS.maxGapMs + 1)).toBe('x');
  });

  it('loses no character: any mix of bursts and typing comes out exactly once, in order', () => {
    const printable = fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_./:'.split(''));
    const segment = fc.record({
      text: fc.array(printable, { minLength: 1, maxLength: 30 }).map((a) => a.join('')),
      fast: fc.boolean(),
      gap: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segments) => {
        const events: Array<[string, number]> = [];
        const expectedScans: string[] = [];
        let expectedTyped = '';
        let t = 0;
        for (const { text, fast, gap } of segments) {
          t += 1000;
          if (fast && text.length >= WEDGE_DEFAULTS.minLength) {
            events.push(...burst(text, t, gap));
            expectedScans.push(text);
          } else {
            // By hand, without Enter: the field keeps the text.
            events.push(...[...text].map((key, i): [string, number] => [key, t + i * 150]));
            expectedTyped += text;
          }
          t += (text.length + 1) * 150;
        }
        const { scans, typed } = run(createWedgeDetector(), events);
        expect(scans).toEqual(expectedScans);
        expect(typed).toBe(expectedTyped);
      }),
    );
  });
});
