/**
 * A small JSON parser for request bodies that keeps JSON types exact: integers beyond 2^53
 * become bigint (never a rounded number, never a string), so the sandbox can tell a quoted
 * "123" from 123 and record verify_time exactly as received. Written independently from the
 * client's parser on purpose: the sandbox must catch the client's mistakes, not share them.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

export function parseStrictJson(text: string): JsonValue {
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${pos}`);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (literal: string) => {
    if (text.startsWith(literal, pos)) pos += literal.length;
    else fail(`expected ${literal}`);
  };

  function value(): JsonValue {
    skipSpace();
    const ch = text[pos];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return (expect('true'), true);
    if (ch === 'f') return (expect('false'), false);
    if (ch === 'n') return (expect('null'), null);
    return number();
  }

  function object(): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    pos++;
    skipSpace();
    if (text[pos] === '}') return (pos++, out);
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail('expected a key');
      const key = string();
      skipSpace();
      expect(':');
      if (Object.hasOwn(out, key)) fail(`duplicate key ${key}`);
      out[key] = value();
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === '}') return (pos++, out);
      else fail('expected , or }');
    }
  }

  function array(): JsonValue[] {
    const out: JsonValue[] = [];
    pos++;
    skipSpace();
    if (text[pos] === ']') return (pos++, out);
    for (;;) {
      out.push(value());
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === ']') return (pos++, out);
      else fail('expected , or ]');
    }
  }

  function string(): string {
    // JSON's own grammar: a string may not hold a raw control character (RFC 8259 §7).
    // eslint-disable-next-line no-control-regex
    const match = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
    match.lastIndex = pos;
    const found = match.exec(text);
    if (!found) return fail('bad string');
    pos += found[0].length;
    return JSON.parse(found[0]) as string;
  }

  function number(): number | bigint {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = pos;
    const found = match.exec(text);
    if (!found) return fail('unexpected character');
    pos += found[0].length;
    const isInteger = found[1] === undefined && found[2] === undefined;
    const asNumber = Number(found[0]);
    return isInteger && !Number.isSafeInteger(asNumber) ? BigInt(found[0]) : asNumber;
  }

  const result = value();
  skipSpace();
  if (pos !== text.length) fail('trailing characters');
  return result;
}

/** JSON text where bigint values appear as bare integers. */
export function writeJson(value: unknown): string {
  const placeholders: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    placeholders.push(v.toString());
    return `\u0000${placeholders.length - 1}\u0000`;
  });
  return json.replace(/"\\u0000(\d+)\\u0000"/g, (_m, index: string) => placeholders[Number(index)]!);
}
