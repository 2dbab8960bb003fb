const TEXT_INPUT_TYPES = new Set(['text', 'search', 'password', 'tel', 'url', 'email', 'number', '']);

export function isTextField(element: Element | null): element is HTMLInputElement | HTMLTextAreaElement {
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  if (element instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(element.type) && !element.readOnly && !element.disabled;
  return false;
}

function isEditable(element: Element | null): boolean {
  return isTextField(element) || (element instanceof HTMLElement && element.isContentEditable);
}

/**
 * Types text into the focused field as if its keys had just arrived: at the caret, through the
 * field's own input event, so React's onChange, maxLength and undo all behave as for real keys.
 */
export function typeIntoFocused(text: string, fallbackFieldId?: string): void {
  // Typed by hand with no field focused: the screen's fallback field (the manual box) takes it,
  // so a short code typed after a click elsewhere is not lost.
  if (text && fallbackFieldId && !isEditable(document.activeElement)) document.getElementById(fallbackFieldId)?.focus();
  const field = document.activeElement;
  if (!text || !(isTextField(field) || (field instanceof HTMLElement && field.isContentEditable))) return;
  // execCommand is deprecated but is the only way to insert as the user would in Chromium.
  if (document.execCommand('insertText', false, text)) return;
  if (!isTextField(field)) return;
  const start = field.selectionStart ?? field.value.length;
  field.setRangeText(text, start, field.selectionEnd ?? start, 'end');
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
