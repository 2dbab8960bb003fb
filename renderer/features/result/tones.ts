import type { Verdict } from '../../../shared/domain/scan';

export interface Tone {
  /** Hz. */
  frequency: number;
  /** Start, ms after the first tone. */
  at: number;
  /** ms. */
  duration: number;
  wave: OscillatorType;
}

/**
 * Each answer has its own shape, so staff who are looking at the visitor and not the screen
 * still know it: verified rises (two bright notes), offline is one flat double note, refused is
 * a low harsh triple buzz. Kept short so the next scan is never waiting on a sound.
 */
export const TONES: Record<Verdict, readonly Tone[]> = {
  verified: [
    { frequency: 880, at: 0, duration: 90, wave: 'sine' },
    { frequency: 1320, at: 100, duration: 140, wave: 'sine' },
  ],
  offline: [
    { frequency: 660, at: 0, duration: 160, wave: 'triangle' },
    { frequency: 660, at: 260, duration: 160, wave: 'triangle' },
  ],
  // Two quick high-low pairs: not the rising "pass" of verified, so a repeat is never heard as one.
  repeat: [
    { frequency: 988, at: 0, duration: 80, wave: 'square' },
    { frequency: 494, at: 100, duration: 80, wave: 'square' },
    { frequency: 988, at: 220, duration: 80, wave: 'square' },
    { frequency: 494, at: 320, duration: 120, wave: 'square' },
  ],
  // One soft questioning note: the staff have a choice to make, nothing is decided yet.
  confirm: [{ frequency: 740, at: 0, duration: 180, wave: 'sine' }],
  refused: [
    { frequency: 220, at: 0, duration: 120, wave: 'square' },
    { frequency: 220, at: 160, duration: 120, wave: 'square' },
    { frequency: 180, at: 320, duration: 220, wave: 'square' },
  ],
};
