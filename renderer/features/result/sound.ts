import type { Verdict } from '../../../shared/domain/scan';
import { TONES } from './tones';

const VOLUME = 0.25;
// A few ms of fade in and out: an oscillator cut at full level clicks.
const RAMP_S = 0.008;

let context: AudioContext | undefined;

/** Plays the verdict's tones; silent (never throwing) where audio cannot start. */
export function playVerdict(verdict: Verdict): void {
  try {
    context ??= new AudioContext();
    void context.resume();
    const start = context.currentTime + 0.01;
    for (const tone of TONES[verdict]) {
      const from = start + tone.at / 1000;
      const to = from + tone.duration / 1000;
      const oscillator = new OscillatorNode(context, { type: tone.wave, frequency: tone.frequency });
      const gain = new GainNode(context, { gain: 0 });
      gain.gain.setValueAtTime(0, from);
      gain.gain.linearRampToValueAtTime(VOLUME, from + RAMP_S);
      gain.gain.setValueAtTime(VOLUME, to - RAMP_S);
      gain.gain.linearRampToValueAtTime(0, to);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(from);
      oscillator.stop(to);
    }
  } catch {
    // No audio device or autoplay refused: the colour still tells the answer.
  }
}
