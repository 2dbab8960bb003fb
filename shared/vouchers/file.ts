import { voucherCredentials } from './credentials';
import { voucherError, type VoucherFileError } from './errors';
import { issueToError } from './issues';
import { VoucherOrder } from './schema';

export { voucherCredentials } from './credentials';
export { VoucherErrorKey } from './errors';
export { VoucherOrder, type VoucherOrderInput } from './schema';

/** Far above a day's orders for any scenic spot; a bigger file is the wrong file. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Far above one order's codes; a longer line is a missing newline or a binary file. */
export const MAX_LINE_BYTES = 64 * 1024;
/** The staff fix a file from the first few errors; the rest only needs counting. */
export const MAX_REPORTED_ERRORS = 50;

export type VoucherFileResult =
  { ok: true; orders: VoucherOrder[] } | { ok: false; errors: VoucherFileError[]; errorCount: number };

/** UTF-8 size compared without encoding (no Buffer in the renderer, no 50 MiB copy). */
function utf8LengthExceeds(text: string, limit: number): boolean {
  // Every UTF-16 unit costs at least one byte, so this settles huge input at once.
  if (text.length > limit) return true;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if ((unit & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

function parseLine(content: string, line: number): VoucherOrder | VoucherFileError[] {
  if (utf8LengthExceeds(content, MAX_LINE_BYTES)) {
    return [voucherError(line, 'line_too_long', { limitBytes: MAX_LINE_BYTES })];
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return [voucherError(line, 'bad_json')];
  }
  const parsed = VoucherOrder.safeParse(json);
  return parsed.success ? parsed.data : parsed.error.issues.map((issue) => issueToError(line, issue, json));
}

/**
 * Validates a whole JSON Lines voucher file. All or nothing: one bad line refuses the file, so
 * the index never holds half an import. Identical repeats of an order are dropped; a QR code or
 * certificate number claimed by two orders is refused, since a scan of it could not choose.
 */
export function parseVoucherFile(text: string): VoucherFileResult {
  if (utf8LengthExceeds(text, MAX_FILE_BYTES)) {
    return { ok: false, errors: [voucherError(0, 'file_too_large', { limitBytes: MAX_FILE_BYTES })], errorCount: 1 };
  }
  const errors: VoucherFileError[] = [];
  let errorCount = 0;
  const report = (error: VoucherFileError) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
  };
  const orders: VoucherOrder[] = [];
  const firstSeen = new Map<string, { line: number; canonical: string }>();
  const codeOwners = new Map<string, { orderId: string; line: number }>();

  // Lone CR splits too: JSON strings cannot hold a raw CR, so no line is cut in half by it.
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((content, index) => {
      if (content.trim() === '') return;
      const line = index + 1;
      const parsed = parseLine(content, line);
      if (Array.isArray(parsed)) return parsed.forEach(report);

      // Zod builds output in schema key order, so equal content stringifies equally.
      const canonical = JSON.stringify(parsed);
      const earlier = firstSeen.get(parsed.order_id);
      if (earlier !== undefined) {
        if (earlier.canonical !== canonical) {
          report(voucherError(line, 'duplicate_order', { orderId: parsed.order_id, firstLine: earlier.line }));
        }
        return;
      }
      firstSeen.set(parsed.order_id, { line, canonical });
      orders.push(parsed);

      // ID numbers may repeat across orders (one visitor, two tickets); codes may not.
      for (const { kind, value } of voucherCredentials(parsed)) {
        if (kind === 'id_card') continue;
        const owner = codeOwners.get(value);
        if (owner === undefined) codeOwners.set(value, { orderId: parsed.order_id, line });
        else if (owner.orderId !== parsed.order_id) {
          report(voucherError(line, 'code_conflict', { kind, code: value, otherOrderId: owner.orderId, otherLine: owner.line }));
        }
      }
    });

  if (errorCount === 0 && orders.length === 0) report(voucherError(0, 'file_empty'));
  return errorCount === 0 ? { ok: true, orders } : { ok: false, errors, errorCount };
}
