import { isRealDate } from './calendar';

/** GB 11643-1999: 17 digits then a check character; staff and scanners send the X in either case. */
export const ID_NUMBER_SHAPE = /^\d{17}[\dXx]$/;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
// Index is the weighted sum mod 11 (ISO 7064 MOD 11-2 as tabulated in the standard).
const CHECK_CHARS = '10X98765432';

// The standard's own worked example was born in 1880, so the lower bound cannot be 1900. The
// upper bound is fixed rather than "today" to keep parsing pure.
const MIN_BIRTH_YEAR = 1800;
const MAX_BIRTH_YEAR = 2099;

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

export type IdNumberProblem = 'id_checksum' | 'id_birth_date';

/**
 * What is wrong with a string already known to match ID_NUMBER_SHAPE, or undefined if nothing.
 * The checksum is judged first: a mistyped digit is far likelier than a bad date, and it is the
 * answer the staff can act on ("type it again").
 */
export function idNumberProblem(id: string): IdNumberProblem | undefined {
  if (idCheckChar(id).toUpperCase() !== id.charAt(17).toUpperCase()) return 'id_checksum';
  const year = Number(id.slice(6, 10));
  const birthValid =
    year >= MIN_BIRTH_YEAR && year <= MAX_BIRTH_YEAR && isRealDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
  return birthValid ? undefined : 'id_birth_date';
}

export function isValidIdNumber(id: string): boolean {
  return ID_NUMBER_SHAPE.test(id) && idNumberProblem(id) === undefined;
}

/**
 * First 6 and last 4 characters, stars between: the region and the tail let staff match a card
 * in hand while the birth date stays off screens and exports. Anything too short to keep both
 * ends hidden is starred whole.
 */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.toUpperCase());
  if (chars.length <= 10) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
}
