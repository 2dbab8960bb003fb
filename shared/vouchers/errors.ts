import { z } from 'zod';

/** Message keys for a refused voucher file; the renderer owns their zh-CN and English text. */
export const VoucherErrorKey = z.enum([
  'file_too_large',
  'file_empty',
  'line_too_long',
  'bad_json',
  'missing_field',
  'wrong_type',
  'bad_value',
  'unknown_field',
  'bad_date',
  'id_checksum',
  'id_birth_date',
  'code_unscannable',
  'code_is_other_order',
  'poi_id_required',
  'duplicate_order',
  'code_conflict',
]);
export type VoucherErrorKey = z.infer<typeof VoucherErrorKey>;

export type VoucherErrorParams = Record<string, string | number>;

/**
 * One problem in the file. `line` is 1-based; 0 means the file as a whole. Params name the field
 * by `path` rather than quoting its value, so an ID number never reaches a log or the screen.
 */
export interface VoucherFileError {
  line: number;
  key: VoucherErrorKey;
  params: VoucherErrorParams;
  /** English rendering of key + params, for logs and command-line tools. */
  message: string;
}

const ENGLISH: Record<VoucherErrorKey, (p: VoucherErrorParams) => string> = {
  file_too_large: (p) => `the file is larger than ${p.limitBytes} bytes`,
  file_empty: () => 'the file holds no orders',
  line_too_long: (p) => `the line is longer than ${p.limitBytes} bytes`,
  bad_json: () => 'the line is not valid JSON',
  missing_field: (p) => `${p.path} is missing`,
  wrong_type: (p) => `${p.path} should be ${p.expected}`,
  bad_value: (p) => `${p.path} has a value that is not allowed`,
  unknown_field: (p) => `unknown field(s) ${p.fields}${p.path ? ` in ${p.path}` : ''}`,
  bad_date: (p) => `${p.path} is not a real YYYY-MM-DD date`,
  id_checksum: (p) => `${p.path} is not an ID number (wrong check digit)`,
  id_birth_date: (p) => `${p.path} is not an ID number (impossible birth date)`,
  code_unscannable: (p) => `${p.path} could never be matched by a scan (${p.reason})`,
  code_is_other_order: (p) => `${p.path} scans as a different order id`,
  poi_id_required: () => 'poi_id is required when multi_store is true',
  duplicate_order: (p) => `order ${p.orderId} already appears on line ${p.firstLine} with different content`,
  code_conflict: (p) => `${p.kind} ${p.code} also belongs to order ${p.otherOrderId} (line ${p.otherLine})`,
};

export function voucherError(line: number, key: VoucherErrorKey, params: VoucherErrorParams = {}): VoucherFileError {
  const where = line === 0 ? 'file' : `line ${line}`;
  return { line, key, params, message: `${where}: ${ENGLISH[key](params)}` };
}
