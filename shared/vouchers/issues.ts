import type { z } from 'zod';
import { VoucherErrorKey, voucherError, type VoucherFileError } from './errors';

type Path = readonly PropertyKey[];

/** "voucher.projects[2].qrcodes[0]"; the line's own object is "order". */
function formatPath(path: Path): string {
  const text = path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`),
    '',
  );
  return text === '' ? 'order' : text;
}

// Zod reports a missing key and a key of the wrong type alike; the parsed line tells them apart.
function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function issueToError(line: number, issue: z.core.$ZodIssue, input: unknown): VoucherFileError {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'custom': {
      const { key, ...params } = (issue.params ?? {}) as Record<string, string | number>;
      const known = VoucherErrorKey.safeParse(key);
      return voucherError(line, known.success ? known.data : 'bad_value', { path, ...params });
    }
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? voucherError(line, 'missing_field', { path })
        : voucherError(line, 'wrong_type', { path, expected: issue.expected });
    case 'unrecognized_keys':
      return voucherError(line, 'unknown_field', { path, fields: issue.keys.join(', ') });
    default:
      return voucherError(line, 'bad_value', { path });
  }
}
