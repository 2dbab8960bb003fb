import type { ScannerSetting } from '../../../shared/domain/devices';
import { UNREADABLE } from './ime-keys';

/**
 * Tells a USB scanner or ID-card reader in keyboard mode ("wedge") from a person typing, by time
 * alone: a wedge types a whole code, then its suffix key, faster than any hand can. Pure: the DOM
 * hook feeds it each keydown's key and timestamp and does what the step says.
 *
 * Every character is held back until it is known to be human (the next key comes late, or none
 * comes), so a burst never lands in whatever field has focus; human keys are handed back in order.
 * Keys that came through the input method (IME) are fed with the character recovered from their
 * code: they count for the burst, but are never handed back, because the IME already has them.
 */
export interface WedgeOptions {
  /** The slowest gap between two keys of one burst, in ms. Wedges type at 1–20 ms; hands at 80+. */
  maxGapMs: number;
  /** Shorter bursts are a person's quick double press, not a scan. */
  minLength: number;
  /** The suffix the device is set to send after each code (KeyboardEvent.key names). */
  terminators: readonly string[];
  /** The scanner sends no suffix: a burst long enough ends when no key follows within maxGapMs. */
  endOnQuiet: boolean;
}

export const WEDGE_DEFAULTS: WedgeOptions = { maxGapMs: 50, minLength: 4, terminators: ['Enter', 'Tab'], endOnQuiet: false };

const TERMINATORS: Record<ScannerSetting['suffix'], readonly string[]> = {
  enter_or_tab: ['Enter', 'Tab'],
  enter: ['Enter'],
  tab: ['Tab'],
  // A scanner said to send nothing that sends Enter or Tab after all still ends its burst there.
  none: ['Enter', 'Tab'],
};

export function wedgeOptionsFor(setting: ScannerSetting): WedgeOptions {
  return {
    ...WEDGE_DEFAULTS,
    maxGapMs: setting.burstGapMs,
    terminators: TERMINATORS[setting.suffix],
    endOnQuiet: setting.suffix === 'none',
  };
}

/** How a burst ended: a code read, or IME keys whose characters could not be recovered. */
export type BurstEnd = { kind: 'scan'; text: string; ime: boolean } | { kind: 'ime_unreadable' };

export interface Expiry {
  /** Characters held earlier turned out to be typed by hand: give them back before anything else. */
  replay: string;
  /** The burst before this key ended by quiet (a scanner without suffix). */
  ended?: BurstEnd;
}

export type WedgeStep = Expiry & {
  /**
   * pass: not ours, let the browser act on the key as usual; hold: swallowed for now, it may be
   * part of a burst; swallow: the suffix that ended a burst (see ended).
   */
  action: 'pass' | 'hold' | 'swallow';
};

// Shift comes between the letters of "TW10…" from a wedge; it must not break the burst.
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock']);

const isCharacter = (key: string) => [...key].length === 1;

export interface WedgeDetector {
  /** One keydown; `ime` when it came through the input method (its key recovered from its code). */
  feed(key: string, at: number, ime?: boolean): WedgeStep;
  /** Held characters whose burst never continued (call after maxGapMs of quiet). */
  expire(now: number): Expiry;
  /** Something that cannot be part of a burst happened (shortcut, key repeat): release all. */
  release(): string;
  /** How many keys of the burst being held came through the IME. */
  imeKeys(): number;
}

interface Held {
  ch: string;
  ime: boolean;
}

export function createWedgeDetector(options: WedgeOptions = WEDGE_DEFAULTS): WedgeDetector {
  let held: Held[] = [];
  let lastAt = 0;
  const release = () => {
    const out = held
      .filter((h) => !h.ime)
      .map((h) => h.ch)
      .join('');
    held = [];
    return out;
  };
  const end = (): BurstEnd => {
    const burst = held;
    held = [];
    if (burst.some((h) => h.ch === UNREADABLE)) return { kind: 'ime_unreadable' };
    return { kind: 'scan', text: burst.map((h) => h.ch).join(''), ime: burst.some((h) => h.ime) };
  };
  const expire = (now: number): Expiry => {
    if (held.length === 0 || now - lastAt <= options.maxGapMs) return { replay: '' };
    if (options.endOnQuiet && held.length >= options.minLength) return { replay: '', ended: end() };
    return { replay: release() };
  };

  return {
    feed(key, at, ime = false) {
      if (MODIFIERS.has(key)) return { action: 'pass', replay: '' };
      const late = expire(at);
      if (options.terminators.includes(key)) {
        if (held.length >= options.minLength) return { ...late, action: 'swallow', ended: end() };
        return { ...late, action: 'pass', replay: late.replay + release() };
      }
      const unreadable = ime && key === UNREADABLE;
      // A burst never starts with a space, so space still presses a focused button at once.
      if (!unreadable && (!isCharacter(key) || (held.length === 0 && key === ' ')))
        return { ...late, action: 'pass', replay: late.replay + release() };
      held.push({ ch: key, ime });
      lastAt = at;
      return { ...late, action: 'hold' };
    },
    expire,
    release,
    imeKeys: () => held.filter((h) => h.ime).length,
  };
}
