import { useEffect } from 'react';
import { ScannerSetting } from '../../../shared/domain/devices';
import { useApp } from '../../stores/app';
import { submitScan } from './submit-scan';
import { typeIntoFocused } from './editable';
import { createFieldGuard } from './field-guard';
import { isImeEvent, keyOfImeEvent } from './ime-keys';
import { clearScannerNotice, showImeUnreadable } from './scanner-notice';
import { createWedgeDetector, wedgeOptionsFor, type BurstEnd, type Expiry } from './wedge';

/** The scan screen's manual box (ManualEntry): where keys typed by hand with nothing focused go. */
const MANUAL_FIELD_ID = 'manual-code';

/** The scanner test box (devices page) reads its own keys: bursts typed there are not scans. */
const SCANNER_TEST_ATTRIBUTE = 'data-scanner-test';

// After this many IME keys at burst speed a person cannot be typing: the IME must let go.
const IME_KEYS_TO_STEP_AWAY = 3;

const DEFAULT_SETTING = ScannerSetting.parse({});

/** The key a keydown stands for; for an IME key, what its code and Shift give. */
function keyOf(event: KeyboardEvent): { key: string; ime: boolean } {
  if (!isImeEvent(event)) return { key: event.key, ime: false };
  return {
    key: keyOfImeEvent({ code: event.code, shiftKey: event.shiftKey, capsLock: event.getModifierState('CapsLock') }),
    ime: true,
  };
}

/**
 * Listens for scanner bursts on the whole window, before any field sees the keys, for as long as
 * the component using it is mounted (the app root: a burst must never land in a supervisor's
 * field either). Each burst is submitted as a 'scanner' scan, with the suffix and speed the
 * supervisor set; a burst that went through the Chinese IME is read from its key codes.
 */
export function useScannerWedge(): void {
  const suffix = useApp((s) => s.status?.scanner.suffix ?? DEFAULT_SETTING.suffix);
  const burstGapMs = useApp((s) => s.status?.scanner.burstGapMs ?? DEFAULT_SETTING.burstGapMs);
  useEffect(() => {
    const options = wedgeOptionsFor({ suffix, burstGapMs });
    const detector = createWedgeDetector(options);
    const guard = createFieldGuard();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A little over the gap, so a key already queued behind a busy frame still joins its burst.
    const quietMs = options.maxGapMs + 15;

    const finish = (ended: BurstEnd) => {
      guard.settle(ended.kind === 'ime_unreadable' || ended.ime, ended.kind === 'scan' ? ended.text : null);
      if (ended.kind === 'ime_unreadable') return showImeUnreadable();
      clearScannerNotice();
      submitScan(ended.text, 'scanner');
    };
    /** Whatever an expiry or a key gave back: a burst that ended, then characters typed by hand. */
    const apply = (step: Expiry, burstOver: boolean) => {
      if (step.ended) finish(step.ended);
      else if (burstOver || step.replay) guard.settle(false);
      typeIntoFocused(step.replay, MANUAL_FIELD_ID);
    };
    const onQuiet = () => apply(detector.expire(performance.now()), true);

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.target instanceof Element && event.target.closest(`[${SCANNER_TEST_ATTRIBUTE}]`)) return;
      clearTimeout(timer);
      if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) {
        guard.settle(false);
        typeIntoFocused(detector.release());
        return;
      }
      const { key, ime } = keyOf(event);
      // event.timeStamp is when the key arrived, not when this handler got to run.
      const step = detector.feed(key, event.timeStamp, ime);
      apply(step, step.action === 'pass');
      if (step.action === 'hold') guard.note();
      if (step.action === 'pass') return;
      // An IME key's text is the IME's already; preventing it changes nothing and some IMEs
      // then lose track of their own state.
      if (!ime) event.preventDefault();
      if (step.action === 'hold') {
        if (detector.imeKeys() >= IME_KEYS_TO_STEP_AWAY) guard.stepAway();
        timer = setTimeout(onQuiet, quietMs);
      }
    };
    const onBlur = () => {
      guard.settle(false);
      typeIntoFocused(detector.release());
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('blur', onBlur);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('blur', onBlur);
    };
  }, [suffix, burstGapMs]);
}
