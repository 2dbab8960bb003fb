/**
 * Tells a USB scanner or ID-card reader in keyboard mode ("wedge") from a person typing, by time
 * alone: a wedge types a whole code, then its suffix key, faster than any hand can. Pure: the DOM
 * hook feeds it each keydown's key and timestamp and does what the step says.
 *
 * Every character is held back until it is known to be human (the next key comes late, or none
 * comes), so a burst never lands in whatever field has focus; human keys are handed back in order.
 */
export interface WedgeOptions {
  /** The slowest gap between two keys of one burst, in ms. Wedges type at 1–20 ms; hands at 80+. */
  maxGapMs: number;
  /** Shorter bursts are a person's quick double press, not a scan. */
  minLength: number;
  /** The suffix the device is set to send after each code (KeyboardEvent.key names). */
  terminators: readonly string[];
}

export const WEDGE_DEFAULTS: WedgeOptions = { maxGapMs: 50, minLength: 4, terminators: ['Enter', 'Tab'] };

export type WedgeStep =
  /** Characters held earlier turned out to be typed by hand: give them back before anything else. */
  { replay: string } & (
    | /** Not ours: let the browser act on the key as usual. */ { action: 'pass' }
    | /** Swallowed for now: it may be part of a burst. */ { action: 'hold' }
    | /** A burst ended with its suffix: swallow the suffix and submit the text. */ { action: 'scan'; text: string }
  );

// Shift comes between the letters of "TW10…" from a wedge; it must not break the burst.
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock']);

const isCharacter = (key: string) => [...key].length === 1;

export interface WedgeDetector {
  feed(key: string, at: number): WedgeStep;
  /** Held characters whose burst never continued (call after maxGapMs of quiet); '' when none. */
  expire(now: number): string;
  /** Something that cannot be part of a burst happened (IME, shortcut, key repeat): release all. */
  release(): string;
}

export function createWedgeDetector(options: WedgeOptions = WEDGE_DEFAULTS): WedgeDetector {
  let held = '';
  let lastAt = 0;
  const release = () => {
    const out = held;
    held = '';
    return out;
  };
  const expire = (now: number) => (held && now - lastAt > options.maxGapMs ? release() : '');

  return {
    feed(key, at) {
      if (MODIFIERS.has(key)) return { action: 'pass', replay: '' };
      const late = expire(at);
      if (options.terminators.includes(key)) {
        if (held.length >= options.minLength) return { action: 'scan', text: release(), replay: late };
        return { action: 'pass', replay: late + release() };
      }
      // A burst never starts with a space, so space still presses a focused button at once.
      if (!isCharacter(key) || (held === '' && key === ' ')) return { action: 'pass', replay: late + release() };
      held += key;
      lastAt = at;
      return { action: 'hold', replay: late };
    },
    expire,
    release,
  };
}
