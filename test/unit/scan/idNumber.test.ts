import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIdNumber, maskIdNumber } from '../../../shared/scan/parse';
import { validIdNumber } from './arbitraries';

describe('isValidIdNumber', () => {
  it('accepts the worked examples of GB 11643-1999', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(true);
  });

  it('refuses a wrong check digit, an impossible birth date and wrong shapes', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    // Checksum right, but there is no 30 February.
    expect(isValidIdNumber('110105194902300012')).toBe(false);
    expect(isValidIdNumber('110105490101001')).toBe(false);
    expect(isValidIdNumber('11010519491231002Y')).toBe(false);
    expect(isValidIdNumber(' 11010519491231002X')).toBe(false);
  });

  it('accepts every generated valid ID', () => {
    fc.assert(fc.property(validIdNumber, (id) => isValidIdNumber(id)));
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });

  it('never shows the birth date and keeps the length', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(id.slice(0, 6));
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked.slice(14)).toBe(id.slice(14));
      }),
    );
  });

  it('stars short input whole', () => {
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });
});
