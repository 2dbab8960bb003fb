import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOfImeEvent, UNREADABLE } from '../../../renderer/features/scan/ime-keys';
import {
  createWedgeDetector,
  WEDGE_DEFAULTS,
  wedgeOptionsFor,
  type WedgeDetector,
  type WedgeStep,
} from '../../../renderer/features/scan/wedge';

/** Feeds keys as the DOM hook would, running the quiet-time expiry before each key. */
function run(detector: WedgeDetector, events: Array<[key: string, at: number]>, end = Infinity) {
  const scans: string[] = [];
  let typed = '';
  const passed: string[] = [];
  for (const [key, at] of events) {
    const step: WedgeStep = detector.feed(key, at);
    if (step.ended?.kind === 'scan') scans.push(step.ended.text);
    typed += step.replay;
    if (step.action === 'pass') passed.push(key);
  }
  const last = detector.expire(end);
  if (last.ended?.kind === 'scan') scans.push(last.ended.text);
  typed += last.replay;
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
    expect(detector.expire(10_000)).toEqual({ replay: '' });
  });

  it('keeps held keys while the burst may still continue', () => {
    const detector = createWedgeDetector();
    detector.feed('x', 0);
    expect(detector.expire(WEDGE_DEFAULTS.maxGapMs)).toEqual({ replay: '' });
    expect(detector.expire(WEDGE_DEFAULTS.maxGapMs + 1)).toEqual({ replay: 'x' });
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

describe('scanner keys through the Chinese IME (key "Process", keyCode 229)', () => {
  /** What the hook feeds for a burst typed as IME events: each key recovered from its code. */
  const imeBurst = (codes: Array<[code: string, shift: boolean]>, start: number, gap: number) =>
    codes.map(([code, shiftKey], i) => ({ key: keyOfImeEvent({ code, shiftKey, capsLock: false }), at: start + i * gap }));
  const codesOf = (text: string): Array<[string, boolean]> =>
    [...text].map((ch) => (/\d/.test(ch) ? [`Digit${ch}`, false] : [`Key${ch.toUpperCase()}`, ch !== ch.toLowerCase()]));

  it('recovers letters (Shift for capitals), digits, numpad and punctuation from event.code', () => {
    expect(keyOfImeEvent({ code: 'KeyT', shiftKey: true, capsLock: false })).toBe('T');
    expect(keyOfImeEvent({ code: 'KeyT', shiftKey: false, capsLock: false })).toBe('t');
    expect(keyOfImeEvent({ code: 'KeyT', shiftKey: false, capsLock: true })).toBe('T');
    expect(keyOfImeEvent({ code: 'Digit7', shiftKey: false, capsLock: false })).toBe('7');
    expect(keyOfImeEvent({ code: 'Numpad3', shiftKey: false, capsLock: false })).toBe('3');
    expect(keyOfImeEvent({ code: 'Slash', shiftKey: false, capsLock: false })).toBe('/');
    expect(keyOfImeEvent({ code: 'Semicolon', shiftKey: true, capsLock: false })).toBe(':');
    expect(keyOfImeEvent({ code: 'NumpadEnter', shiftKey: false, capsLock: false })).toBe('Enter');
    expect(keyOfImeEvent({ code: '', shiftKey: false, capsLock: false })).toBe(UNREADABLE);
    expect(keyOfImeEvent({ code: 'IntlRo', shiftKey: false, capsLock: false })).toBe(UNREADABLE);
  });

  it('reads an IME burst as the code, and gives none of it back (the IME has it already)', () => {
    const detector = createWedgeDetector();
    const steps = [...imeBurst(codesOf('TW1000000002'), 0, 1), { key: 'Enter', at: 12 }].map(({ key, at }) =>
      detector.feed(key, at, true),
    );
    expect(steps.map((s) => s.replay).join('')).toBe('');
    expect(steps.at(-1)).toMatchObject({ action: 'swallow', ended: { kind: 'scan', text: 'TW1000000002', ime: true } });
    expect(steps.slice(0, -1).every((s) => s.action === 'hold')).toBe(true);
  });

  it('joins IME keys and the plain keys that follow once the IME has let go, into one code', () => {
    const detector = createWedgeDetector();
    for (const { key, at } of imeBurst(codesOf('TW10'), 0, 1)) detector.feed(key, at, true);
    for (const [i, key] of [...'00000002'].entries()) detector.feed(key, 4 + i, false);
    expect(detector.imeKeys()).toBe(4);
    expect(detector.feed('Enter', 20)).toMatchObject({ ended: { kind: 'scan', text: 'TW1000000002', ime: true } });
  });

  it('a burst with an IME key that cannot be read is no scan: it says so, and submits nothing', () => {
    const detector = createWedgeDetector();
    for (const [i, key] of ['T', UNREADABLE, '1', '0', '0'].entries()) detector.feed(key, i, true);
    expect(detector.feed('Enter', 6, true)).toMatchObject({ action: 'swallow', ended: { kind: 'ime_unreadable' } });
  });

  it('a person typing pinyin at hand speed is left to the IME: nothing scanned, nothing typed twice', () => {
    const detector = createWedgeDetector();
    let replay = '';
    for (const { key, at } of imeBurst(codesOf('nihao'), 0, 150)) replay += detector.feed(key, at, true).replay;
    replay += detector.expire(10_000).replay;
    expect(replay).toBe('');
  });
});

describe('the scanner setting', () => {
  it('Enter only: a Tab does not end a burst', () => {
    const options = wedgeOptionsFor({ suffix: 'enter', burstGapMs: 50 });
    expect(run(createWedgeDetector(options), burst('TW1000000001', 0, 1, 'Tab')).scans).toEqual([]);
    expect(run(createWedgeDetector(options), burst('TW1000000001', 0, 1, 'Enter')).scans).toEqual(['TW1000000001']);
  });

  it('no suffix: a burst ends after its gap of quiet, a short one is still typing', () => {
    const options = wedgeOptionsFor({ suffix: 'none', burstGapMs: 30 });
    const detector = createWedgeDetector(options);
    for (const [i, key] of [...'TW1000000003'].entries()) detector.feed(key, i, false);
    expect(detector.expire(11 + 30)).toEqual({ replay: '' });
    expect(detector.expire(11 + 31)).toEqual({ replay: '', ended: { kind: 'scan', text: 'TW1000000003', ime: false } });
    detector.feed('1', 100);
    detector.feed('2', 101);
    expect(detector.expire(200)).toEqual({ replay: '12' });
  });

  it('a wider gap takes a slow scanner', () => {
    const slow = burst('TW1000000004', 0, 70);
    expect(run(createWedgeDetector(), slow).scans).toEqual([]);
    expect(run(createWedgeDetector(wedgeOptionsFor({ suffix: 'enter_or_tab', burstGapMs: 100 })), slow).scans).toEqual([
      'TW1000000004',
    ]);
  });
});
