import { z } from 'zod';

/** int64 bounds: verify_time is an Int64 on the wire. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const int64 = z.union([
  z.number().int().refine(Number.isSafeInteger, 'a number verify_time must be a safe integer; pass a bigint beyond 2^53'),
  z.bigint().refine((v) => v >= INT64_MIN && v <= INT64_MAX, 'outside int64 range'),
]);

const credentialSchema = z.strictObject({
  credential_no: z.string(),
  credential_type: z.number().int(),
});

/** One voucher part (entrance or project), exactly the seed's sub-fields. */
const voucherPartSchema = z.strictObject({
  project_id: z.string().optional(),
  name: z.string().optional(),
  id_cards: z.array(z.string()).optional(),
  qrcodes: z.array(z.string()).optional(),
  certificate_nos: z.array(z.string()).optional(),
  gmcode_imgs: z.array(z.string()).optional(),
  urls: z.array(z.string()).optional(),
  credentials: z.array(credentialSchema).optional(),
});

const voucherSchema = z.strictObject({
  entrance: voucherPartSchema.optional(),
  projects: z.array(voucherPartSchema).optional(),
  /** Not in the field table, but the seed's curl sample carries it inside a voucher. Unix seconds. */
  verify_time: int64.optional(),
});

/** Body of POST /goodlife/v1/trip/certificate/verify/ — strict so no stray field is ever sent. */
export const tripVerifyRequestSchema = z.strictObject({
  order_id: z.string().min(1),
  verify_token: z.string().min(1),
  poi_id: z.string().min(1).optional(),
  /** Unix seconds. */
  verify_time: int64.optional(),
  vouchers: z.array(voucherSchema).optional(),
});

export type VoucherPart = z.infer<typeof voucherPartSchema>;
export type TripVerifyRequest = z.infer<typeof tripVerifyRequestSchema>;

/** `code` is int64: the int64-safe parser hands it over as a string when it exceeds 2^53. */
const verifyResultSchema = z.looseObject({
  code: z
    .union([z.string().regex(/^-?\d+$/), z.number().int()])
    .transform(String)
    .optional(),
  msg: z.string().optional(),
  verify_id: z.string().optional(),
  certificate_id: z.string().optional(),
});

export type VerifyResult = z.infer<typeof verifyResultSchema>;

const logidSchema = z.union([z.string(), z.number()]).transform(String);

/** The verify answer envelope. Fields Douyin may leave out on error answers are optional. */
export const tripVerifyAnswerSchema = z.object({
  data: z
    .looseObject({
      verify_results: z.array(verifyResultSchema).nullish(),
      error_code: z.number().int(),
      description: z.string().nullish(),
    })
    .nullish(),
  extra: z.looseObject({
    error_code: z.number().int(),
    description: z.string().nullish(),
    sub_error_code: z.number().int().nullish(),
    sub_description: z.string().nullish(),
    logid: logidSchema.nullish(),
    now: z.union([z.number(), z.string()]).nullish(),
  }),
});

/** POST /oauth/client_token/ answer. */
export const clientTokenAnswerSchema = z.object({
  data: z.looseObject({
    access_token: z.string().optional(),
    expires_in: z.number().int().positive().optional(),
    error_code: z.number().int(),
    description: z.string().nullish(),
  }),
  message: z.string().nullish(),
});

/** The provider's own token service: one token for the whole fleet. */
export const tokenServiceAnswerSchema = z.object({
  access_token: z.string().min(1),
  /** Unix seconds. */
  expires_at: z.number().int().positive(),
});
