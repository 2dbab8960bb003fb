import { isTextField } from './editable';

/** How long after a burst the IME may still commit its composition into the field. */
const LATE_COMMIT_MS = 400;

function setValue(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  // Through the prototype's setter, so React's onChange sees the change as from a real edit.
  const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Keeps what the IME does during a scanner burst out of the focused field. The field's text is
 * noted when a burst starts; once the burst is known to be a scanner's, focus leaves the field
 * (without a text field, Chromium turns the IME off, so the rest of the burst comes as plain
 * keys) and, when it ends, the field gets its text, caret and focus back. A commit the IME makes
 * after that is undone too: no part of a code is left in the field.
 */
export function createFieldGuard() {
  let noted: { field: HTMLInputElement | HTMLTextAreaElement; value: string; start: number | null; end: number | null } | null =
    null;
  let away = false;
  let stopLateGuard: (() => void) | undefined;

  const putBack = (field: HTMLInputElement | HTMLTextAreaElement, value: string, start: number | null, end: number | null) => {
    if (field.value !== value) setValue(field, value);
    if (start !== null && end !== null) field.setSelectionRange(start, end);
  };

  return {
    /** A burst may be starting: remember the focused field as it is now. */
    note(): void {
      if (noted) return;
      const field = document.activeElement;
      if (isTextField(field)) noted = { field, value: field.value, start: field.selectionStart, end: field.selectionEnd };
    },
    /** The burst is a scanner's and its keys go to the IME: take focus away from the field. */
    stepAway(): void {
      if (!noted || away) return;
      away = true;
      noted.field.blur();
    },
    /**
     * The burst is over. `undoIme`: it went through the IME, whose text must not stay; otherwise
     * the field was never touched and only gets its focus back if it lost it. `code`, as read,
     * tells a late commit of its letters from what a person types afterwards; null (the code
     * could not be read) takes any text inserted in that moment for the IME's.
     */
    settle(undoIme: boolean, code: string | null = ''): void {
      const was = noted;
      const wasAway = away;
      noted = null;
      away = false;
      if (!was) return;
      if (wasAway) was.field.focus();
      if (!undoIme) return;
      putBack(was.field, was.value, was.start, was.end);
      stopLateGuard?.();
      const onLate = (event: Event) => {
        const committed =
          event instanceof InputEvent && !!event.data && (code === null || code.toLowerCase().includes(event.data.toLowerCase()));
        const fromIme =
          event.type === 'compositionend' ||
          (event instanceof InputEvent && (event.isComposing || event.inputType.includes('Composition') || committed));
        if (fromIme) putBack(was.field, was.value, was.start, was.end);
      };
      was.field.addEventListener('input', onLate);
      was.field.addEventListener('compositionend', onLate);
      const timer = setTimeout(() => stopLateGuard?.(), LATE_COMMIT_MS);
      stopLateGuard = () => {
        clearTimeout(timer);
        was.field.removeEventListener('input', onLate);
        was.field.removeEventListener('compositionend', onLate);
        stopLateGuard = undefined;
      };
    },
  };
}
