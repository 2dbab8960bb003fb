import fc from 'fast-check';

/**
 * Check character by the ISO 7064 MOD 11-2 formula, written independently of the table lookup in
 * shared/scan so the tests do not just repeat the code under test.
 */
export function referenceCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

const region = fc.integer({ min: 110000, max: 829999 }).map(String);
const birthDate = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const sequence = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));

/** A mainland ID number with a real birth date and a correct check character. */
export const validIdNumber = fc
  .tuple(region, birthDate, sequence)
  .map(([r, b, s]) => r + b + s)
  .map((body) => body + referenceCheckChar(body));

/** Text in the documented code charset, of a length the parser accepts. */
export const codeText = fc.stringMatching(/^[A-Za-z0-9_.:=/+-]{4,200}$/);

export const controlChar = fc.constantFrom(
  '\r',
  '\n',
  '\t',
  '\x1d',
  '\x1e',
  '\x04',
  '\x00',
  '\x7f',
  '\u0085',
  '\ufeff',
  '\u200b',
);
