/**
 * A scanner's keys with the Chinese input method on arrive as IME events: `key` is "Process"
 * (keyCode 229) and the text goes to the IME's composition. `code` still names the physical key,
 * and a scanner types as a US keyboard, so the character can be recovered from code and Shift.
 */

/** What an IME key could not be read as: its code is missing or names no character we know. */
export const UNREADABLE = '';

const SHIFTED_DIGITS = ')!@#$%^&*(';

// US layout, unshifted and shifted, for the punctuation keys that appear in ticket codes and URLs.
const PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

// Keys that are no character but mean something to the wedge (suffixes, modifiers, editing).
const NAMED: Record<string, string> = {
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  ShiftLeft: 'Shift',
  ShiftRight: 'Shift',
  CapsLock: 'CapsLock',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Escape: 'Escape',
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  ArrowUp: 'ArrowUp',
  ArrowDown: 'ArrowDown',
  Home: 'Home',
  End: 'End',
};

export interface ImeKeyEvent {
  code: string;
  shiftKey: boolean;
  /** CapsLock was on (KeyboardEvent.getModifierState('CapsLock')). */
  capsLock: boolean;
}

/** The key an IME event stands for, as KeyboardEvent.key would have named it; UNREADABLE if none. */
export function keyOfImeEvent({ code, shiftKey, capsLock }: ImeKeyEvent): string {
  const letter = /^Key([A-Z])$/.exec(code)?.[1];
  if (letter) return shiftKey !== capsLock ? letter : letter.toLowerCase();
  const digit = /^Digit(\d)$/.exec(code)?.[1];
  if (digit) return shiftKey ? SHIFTED_DIGITS[Number(digit)]! : digit;
  const numpad = /^Numpad(\d)$/.exec(code)?.[1];
  if (numpad) return numpad;
  const punctuation = PUNCTUATION[code];
  if (punctuation) return punctuation[shiftKey ? 1 : 0];
  return NAMED[code] ?? UNREADABLE;
}

/** The key arrived through the input method: the IME, not the page, got its text. */
export function isImeEvent(event: Pick<KeyboardEvent, 'key' | 'keyCode' | 'isComposing'>): boolean {
  return event.keyCode === 229 || event.key === 'Process' || event.isComposing;
}
