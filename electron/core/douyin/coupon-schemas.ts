import { z } from 'zod';

/**
 * Requests and answers of Douyin's Douyin-code coupon endpoints (团购核销: 验券准备, 验券,
 * 撤销核销, 券状态查询, 验券历史查询; 预导码 bind_order_info), from the platform's pages as read
 * for issue 13 and §5 of docs/douyin-platform.md. Requests are strict, so no stray field is ever
 * sent; answers are loose, so a field Douyin adds tomorrow breaks nothing.
 */

const text = z.string().min(1);
/** Ids are int64 on the wire (certificate_id comes as a bare integer beyond 2^53): kept as strings. */
const int64Id = z.union([z.string().regex(/^-?\d+$/), z.number().int(), text]).transform(String);
/** Seconds and fen: a value beyond 2^53 would not be a time or an amount, so it is refused. */
const safeInt = z.number().int().refine(Number.isSafeInteger, 'beyond 2^53');

const couponAmountSchema = z.looseObject({
  original_amount: safeInt.optional(),
  pay_amount: safeInt.optional(),
});

const couponSkuSchema = z.looseObject({
  sku_id: int64Id.optional(),
  title: z.string(),
  groupon_type: z.number().int().optional(),
});

/** GET certificate/prepare/: "encrypted_data/code 必须二选一"; poi_id is the store doing the verify. */
export const couponPrepareRequestSchema = z
  .strictObject({
    encrypted_data: text.optional(),
    code: text.optional(),
    poi_id: text.optional(),
  })
  .refine((r) => (r.encrypted_data === undefined) !== (r.code === undefined), 'exactly one of encrypted_data and code');

const preparedCertificateSchema = z.looseObject({
  encrypted_code: text,
  certificate_id: int64Id,
  /** Unix seconds. */
  start_time: safeInt,
  expire_time: safeInt,
  amount: couponAmountSchema,
  sku: couponSkuSchema,
  /** 次卡 details, when the coupon is a times card. */
  time_card: z.unknown().optional(),
});

export const couponPrepareDataSchema = z.looseObject({
  verify_token: text,
  order_id: int64Id,
  /** "该接口只返回未使用状态的券信息"; none listed means nothing is usable right now. */
  certificates: z
    .array(preparedCertificateSchema)
    .nullish()
    .transform((v) => v ?? []),
});

/** POST certificate/verify/: certificates of one order only, with the prepare's verify_token. */
export const couponVerifyRequestSchema = z.strictObject({
  verify_token: text,
  poi_id: text,
  encrypted_codes: z.array(text).min(1),
  order_id: text.optional(),
});

const couponVerifyResultSchema = z.looseObject({
  result: z.number().int(),
  msg: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  certificate_id: int64Id.optional(),
  verify_id: int64Id.optional(),
  encrypted_code: z.string().optional(),
  order_id: int64Id.optional(),
});

export const couponVerifyDataSchema = z.looseObject({
  verify_results: z.array(couponVerifyResultSchema),
});

/** POST certificate/cancel/: both ids are Strings on the wire. */
export const couponCancelRequestSchema = z.strictObject({
  certificate_id: z.string().regex(/^\d+$/),
  verify_id: text,
  account_id: text.optional(),
});

export const couponCancelDataSchema = z.looseObject({});

const certificateStatusSchema = z.looseObject({
  certificate_id: int64Id,
  encrypted_code: z.string().optional(),
  order_id: int64Id.optional(),
  /** 1 unused, 2 used, 3–6 refund states. */
  status: z.number().int(),
  start_time: safeInt.optional(),
  expire_time: safeInt.optional(),
  amount: couponAmountSchema.optional(),
  sku: couponSkuSchema.optional(),
  verify: z.looseObject({ verify_id: int64Id, verify_time: safeInt.optional(), can_cancel: z.boolean() }).nullish(),
});

export const couponGetRequestSchema = z.strictObject({ encrypted_code: text, account_id: text.optional() });
export const couponGetDataSchema = z.looseObject({ certificate: certificateStatusSchema });

export const couponQueryRequestSchema = z.union([z.strictObject({ order_id: text }), z.strictObject({ encrypted_code: text })]);
export const couponQueryDataSchema = z.looseObject({ certificates: z.array(certificateStatusSchema) });

/** GET certificate/verify_record/query/: cursor "0" for the first page, size 1–20. */
export const verifyRecordRequestSchema = z.strictObject({
  account_id: text,
  cursor: z.string().regex(/^\d+$/),
  size: z.number().int().min(1).max(20),
  poi_ids: z.array(text).optional(),
  start_time: safeInt.optional(),
  end_time: safeInt.optional(),
});

const verifyRecordSchema = z.looseObject({
  cursor: int64Id,
  verify_id: int64Id,
  certificate_id: int64Id,
  order_id: int64Id.optional(),
  poi_id: int64Id.optional(),
  verify_time: safeInt,
  status: z.number().int().optional(),
  cancel_time: safeInt.optional(),
  sku: couponSkuSchema.partial().optional(),
  amount: couponAmountSchema.optional(),
});

export const verifyRecordDataSchema = z.looseObject({
  records: z
    .array(verifyRecordSchema)
    .nullish()
    .transform((v) => v ?? []),
  cursor: int64Id.optional(),
  has_more: z.boolean().optional(),
});

export const bindOrderRequestSchema = z.strictObject({ account_id: text, code: text });
export const bindOrderDataSchema = z.looseObject({ order_id: int64Id });

/** Any Douyin OpenAPI answer: `data` with its error_code, and `extra`. */
export const douyinEnvelopeSchema = z.object({
  data: z.looseObject({ error_code: z.number().int().optional(), description: z.string().nullish() }).nullish(),
  extra: z.looseObject({
    error_code: z.number().int(),
    description: z.string().nullish(),
    sub_description: z.string().nullish(),
    logid: z.union([z.string(), z.number()]).transform(String).nullish(),
  }),
});

export type CouponPrepareRequest = z.infer<typeof couponPrepareRequestSchema>;
export type CouponPrepareData = z.infer<typeof couponPrepareDataSchema>;
export type CouponVerifyRequest = z.infer<typeof couponVerifyRequestSchema>;
export type CouponVerifyResult = z.infer<typeof couponVerifyResultSchema>;
export type CouponCancelRequest = z.infer<typeof couponCancelRequestSchema>;
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;
export type CouponGetRequest = z.infer<typeof couponGetRequestSchema>;
export type CouponQueryRequest = z.infer<typeof couponQueryRequestSchema>;
export type VerifyRecordRequest = z.infer<typeof verifyRecordRequestSchema>;
export type VerifyRecord = z.infer<typeof verifyRecordSchema>;
export type VerifyRecordData = z.infer<typeof verifyRecordDataSchema>;
export type BindOrderRequest = z.infer<typeof bindOrderRequestSchema>;
