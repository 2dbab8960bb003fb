// Cc covers what scanners wrap codes in (CR, LF, TAB, GS 0x1D, RS, EOT, DEL, C1); Cf covers what
// pasted text smuggles in (BOM, zero-width spaces, bidi overrides), which would otherwise make two
// scans of the same code look different.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
// A Chinese IME left in full-width mode types "１２３Ｘ" for "123X".
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/** The scan as the staff meant it: invisible characters gone, full-width folded, ends trimmed. */
export function sanitizeScan(raw: string): string {
  return raw
    .replace(INVISIBLE, '')
    .replace(FULL_WIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/\u3000/g, ' ')
    .trim();
}
