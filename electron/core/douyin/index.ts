export { douyinConfigFromEnv, douyinEnvSchema, DEFAULT_DOUYIN_OPEN_BASE_URL } from './config';
export type { DouyinConfig, DouyinTokenConfig } from './config';
export { parseJsonKeepingInt64, stringifyWithInt64 } from './int64-json';
export { classifyVerifyAnswer, ERROR_CODE_CLASSES } from './classify-answer';
export type { HttpAnswer } from './classify-answer';
export type { OutcomeBase, TransientReason, VerifyOutcome, VerifyOutcomeKind } from './outcome';
export {
  tripVerifyRequestSchema,
  voucherSchema,
  voucherPartSchema,
  credentialSchema,
  tripVerifyAnswerSchema,
  verifyResultSchema,
} from './schemas';
export type { TripVerifyRequest, Voucher, VoucherPart, Credential, VerifyResult, TripVerifyAnswer } from './schemas';
export { TokenSourceError, TOKEN_RATE_LIMIT_ERROR_CODE, createCachingTokenSource } from './token-source';
export type { TokenSource, TokenSourceErrorReason, TokenCacheOptions, FetchedToken } from './token-source';
export { createClientCredentialsTokenSource } from './client-credentials-token-source';
export type { ClientCredentialsTokenSourceOptions } from './client-credentials-token-source';
export { createTokenServiceTokenSource } from './token-service-token-source';
export type { TokenServiceTokenSourceOptions } from './token-service-token-source';
export { createTripVerifyClient, TRIP_VERIFY_PATH } from './verify-client';
export type { TripVerifyClient, TripVerifyClientOptions } from './verify-client';
export { createCouponClient, COUPON_API_PATHS, DEFAULT_VERIFY_RECORDS_PER_SECOND, VERIFY_RECORD_PAGE_MAX } from './coupon-client';
export type { CouponClient, CouponClientOptions, CertificateVerifyOutcome } from './coupon-client';
export { classifyCouponAnswer, certificateVerdict, certificateState, ALREADY_VERIFIED_RESULTS } from './coupon-answer';
export type { CouponOutcome, CertificateVerdict, CertificateState } from './coupon-answer';
export type * from './coupon-schemas';
export {
  createShortLinkResolver,
  parseShortLinkHosts,
  classifyCouponLink,
  objectIdOf,
  DEFAULT_SHORT_LINK_HOSTS,
} from './short-link';
export type { ShortLinkHost, ShortLinkResolver, ShortLinkResolution, CouponLink } from './short-link';
