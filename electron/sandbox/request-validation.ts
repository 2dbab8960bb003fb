import { z } from 'zod';
import type { ErrorInfo } from './envelope';
import { JsonSyntaxError, parseStrictJson } from './strict-json';

/**
 * The seed's verify body, checked field by field with exact JSON types. Strict objects: a
 * misspelt field (Douyin's own samples have `qrcords`) is an error here rather than silently
 * ignored, so client bugs show up in tests.
 */
const int64 = z
  .union([z.number().int(), z.bigint()])
  .refine((v) => BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n, 'int64 out of range');

const credential = z.strictObject({ credential_no: z.string(), credential_type: z.number().int() });

const voucherPart = z.strictObject({
  project_id: z.string().optional(),
  name: z.string().optional(),
  id_cards: z.array(z.string()).optional(),
  qrcodes: z.array(z.string()).optional(),
  certificate_nos: z.array(z.string()).optional(),
  gmcode_imgs: z.array(z.string()).optional(),
  urls: z.array(z.string()).optional(),
  credentials: z.array(credential).optional(),
});

const voucher = z.strictObject({
  entrance: voucherPart.optional(),
  projects: z.array(voucherPart).optional(),
  // The seed's curl sample carries verify_time inside a voucher too.
  verify_time: int64.optional(),
});

const verifyBody = z.strictObject({
  order_id: z.string().min(1),
  verify_token: z.string().min(1),
  poi_id: z.string().min(1).optional(),
  verify_time: int64.optional(),
  vouchers: z.array(voucher).optional(),
});

export type VerifyBody = z.infer<typeof verifyBody>;

export type BodyCheck = { ok: true; body: VerifyBody } | { ok: false; error: ErrorInfo };

/** 2100005 for a bad envelope or top-level field, 2119001 for a bad voucher. */
export function checkVerifyBody(contentType: string | undefined, text: string): BodyCheck {
  if (!contentType || contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    return invalid(2100005, `content-type must be application/json, got ${contentType ?? 'none'}`);
  }
  let json: unknown;
  try {
    json = parseStrictJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return invalid(2100005, `body is not JSON: ${error.message}`);
    throw error;
  }
  const parsed = verifyBody.safeParse(json);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.') || '(body)';
  const inVouchers = issue.path[0] === 'vouchers';
  return invalid(inVouchers ? 2119001 : 2100005, `${path}: ${issue.message}`);
}

function invalid(errorCode: number, subDescription: string): BodyCheck {
  return { ok: false, error: { errorCode, description: '参数不合法', subDescription } };
}
