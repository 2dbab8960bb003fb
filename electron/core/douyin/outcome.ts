import type { VerifyResult } from './schemas';

/** What every outcome may carry for support tickets and logs. */
export interface OutcomeBase {
  /** extra.logid: what Douyin support asks for. */
  logid?: string;
  /** The Douyin error code (extra.error_code, else data.error_code) when non-zero. */
  errorCode?: number;
  httpStatus?: number;
  description?: string;
  subDescription?: string;
}

export type TransientReason =
  /** Douyin answered 2100001 / 2100004 / 2119002. */
  | 'douyin_busy'
  | 'dns'
  | 'connect_refused'
  | 'connect_timeout'
  /** Connection closed before any answer arrived. */
  | 'reset'
  /** No answer (or no complete body) within the time limit. */
  | 'timeout'
  /** HTTP 5xx, 408, or an HTTP status without a Douyin envelope. */
  | 'http_status'
  /** The answer was not JSON or not the verify envelope. */
  | 'bad_body'
  /** The connection broke while the body was arriving. */
  | 'truncated_body'
  /** The access token could not be obtained, so nothing was sent. */
  | 'token_unavailable'
  /** The caller's AbortSignal fired. */
  | 'aborted';

export type VerifyOutcome =
  | (OutcomeBase & {
      kind: 'verified';
      verifyResults: VerifyResult[];
      /**
       * Douyin said the order (or project) was already verified. Success for a retry of our
       * own request; for a first scan it means the ticket was used before — the caller knows
       * which, this module does not.
       */
      alreadyVerified: boolean;
    })
  | (OutcomeBase & {
      kind: 'transient';
      reason: TransientReason;
      /**
       * false only when no HTTP answer arrived at all. Even then the request may have been
       * processed (reset after sending), so retries must reuse the same verify_token.
       */
      reachedDouyin: boolean;
      message: string;
    })
  | (OutcomeBase & { kind: 'rate_limited' })
  | (OutcomeBase & { kind: 'token' })
  | (OutcomeBase & { kind: 'configuration' })
  | (OutcomeBase & { kind: 'invalid_request' })
  | (OutcomeBase & {
      kind: 'rejected';
      description: string;
      subDescription: string;
      /** Only 3000001 ("对照接口文档规范参数并重试") is worth retrying. */
      retryable: boolean;
    });

export type VerifyOutcomeKind = VerifyOutcome['kind'];

/** Every way a Douyin call can fail, whichever endpoint it was: shared by the trip and coupon clients. */
export type FailureOutcome = Exclude<VerifyOutcome, { kind: 'verified' }>;
