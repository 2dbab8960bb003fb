/**
 * JSON helpers that never round an int64 through a JS double.
 *
 * Douyin answers carry int64 fields (verify_results[].code) whose values exceed 2^53, and
 * Node 20's JSON.parse has no reviver `context.source`, so the raw digits are gone by the
 * time a reviver runs. Instead we rewrite the text first: every integer literal that is not
 * a safe JS integer becomes a JSON string holding the exact decimal digits.
 */

const NUMBER_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Quotes unsafe integer literals outside strings; leaves everything else byte-for-byte. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i = endOfString(text, i);
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      NUMBER_LITERAL.lastIndex = i;
      const match = NUMBER_LITERAL.exec(text);
      if (!match) {
        // Not a number token: leave it for JSON.parse to reject.
        i += 1;
        continue;
      }
      const literal = match[0];
      const isInteger = !/[.eE]/.test(literal);
      if (isInteger && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copiedUpTo, i) + '"' + literal + '"';
        copiedUpTo = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i += 1;
  }
  return out + text.slice(copiedUpTo);
}

/** Index just past the closing quote of the string starting at `start` (or text end if unterminated). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 2;
    else if (ch === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

/** JSON.parse, except integers beyond 2^53 come back as their exact decimal string. */
export function parseJsonKeepingInt64(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/**
 * JSON.stringify that writes bigint values as bare JSON integers (JSON.stringify throws on
 * bigint). A per-call random marker keeps user strings from being mistaken for placeholders.
 */
export function stringifyWithInt64(value: unknown): string {
  const marker = `int64:${Math.random().toString(36).slice(2)}:`;
  let sawBigint = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    return marker + v.toString();
  });
  // Most requests carry no bigint: skip building and running the marker's pattern (profiled on
  // the scan path, which serialises each request three times).
  return sawBigint ? json.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1') : json;
}
