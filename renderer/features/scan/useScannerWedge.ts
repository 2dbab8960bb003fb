import { useEffect } from 'react';
import { submitScan } from './submit-scan';
import { typeIntoFocused } from './editable';
import { createWedgeDetector, WEDGE_DEFAULTS } from './wedge';

/**
 * Listens for scanner bursts on the whole window, before any field sees the keys, for as long as
 * the component using it is mounted (the app root: a burst must never land in a supervisor's
 * field either). Each burst is submitted as a 'scanner' scan.
 */
/** The scan screen's manual box (ManualEntry): where keys typed by hand with nothing focused go. */
const MANUAL_FIELD_ID = 'manual-code';

export function useScannerWedge(): void {
  useEffect(() => {
    const detector = createWedgeDetector(WEDGE_DEFAULTS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A little over the gap, so a key already queued behind a busy frame still joins its burst.
    const quietMs = WEDGE_DEFAULTS.maxGapMs + 15;
    const onQuiet = () => typeIntoFocused(detector.expire(performance.now()), MANUAL_FIELD_ID);

    const onKeyDown = (event: KeyboardEvent) => {
      clearTimeout(timer);
      if (event.isComposing || event.repeat || event.ctrlKey || event.altKey || event.metaKey) {
        typeIntoFocused(detector.release());
        return;
      }
      // event.timeStamp is when the key arrived, not when this handler got to run.
      const step = detector.feed(event.key, event.timeStamp);
      typeIntoFocused(step.replay, MANUAL_FIELD_ID);
      if (step.action === 'pass') return;
      event.preventDefault();
      if (step.action === 'hold') timer = setTimeout(onQuiet, quietMs);
      else submitScan(step.text, 'scanner');
    };
    const onBlur = () => typeIntoFocused(detector.release());

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('blur', onBlur);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('blur', onBlur);
    };
  }, []);
}
