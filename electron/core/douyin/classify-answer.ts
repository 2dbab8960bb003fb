import { parseJsonKeepingInt64 } from './int64-json';
import type { FailureOutcome, OutcomeBase, VerifyOutcome, VerifyOutcomeKind } from './outcome';
import { tripVerifyAnswerSchema } from './schemas';

type AnsweredKind = Exclude<VerifyOutcomeKind, 'verified'>;

/** The seed's error table (HTTP 200 for all), mapped to what the window does about it. */
export const ERROR_CODE_CLASSES: Readonly<Record<number, AnsweredKind>> = {
  2100001: 'transient',
  2100004: 'transient',
  2119002: 'transient',
  2119003: 'rate_limited',
  2100005: 'invalid_request',
  2119001: 'invalid_request',
  2190002: 'token',
  2190008: 'token',
  2190004: 'configuration',
  2119005: 'configuration',
  3000001: 'rejected',
  3000007: 'rejected',
  4000001: 'rejected',
  4000002: 'rejected',
  5000001: 'rejected',
};

const RETRYABLE_BUSINESS_CODES: ReadonlySet<number> = new Set([3000001]);

/**
 * ASSUMPTION (not documented by Douyin): the platform says a retry that finds the order
 * already verified counts as success, but names no code for it. Our rule: a business-level
 * answer (3000001/3000007/4000001/4000002/5000001 or any code outside the table) whose
 * description or sub_description mentions 已核销, 重复核销 or "already verified" means the order
 * (or project) was verified before. System codes (2xxxxxx) never qualify. The sandbox answers
 * a repeat verify this way, so the rule is exercised end to end.
 */
const ALREADY_VERIFIED_TEXT = /已核销|重复核销|already\s+(?:been\s+)?verified/i;

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Pure: one HTTP answer from the verify endpoint → the outcome the queue acts on. */
export function classifyVerifyAnswer(answer: HttpAnswer): VerifyOutcome {
  const httpStatus = answer.status;
  let json: unknown;
  try {
    json = parseJsonKeepingInt64(answer.body);
  } catch {
    return httpFallback(httpStatus, 'answer is not JSON (or was cut short)');
  }
  const parsed = tripVerifyAnswerSchema.safeParse(json);
  if (!parsed.success) {
    return httpFallback(httpStatus, `answer is not the verify envelope: ${parsed.error.message}`);
  }
  const { data, extra } = parsed.data;
  const { errorCode, base } = envelopeBase(httpStatus, data, extra);

  if (errorCode === 0) {
    if (!data || httpStatus < 200 || httpStatus >= 300) {
      return httpFallback(httpStatus, 'success envelope without data or with a non-2xx status', base);
    }
    return { ...base, kind: 'verified', verifyResults: data.verify_results ?? [], alreadyVerified: false };
  }

  const failure = classifyErrorCode(errorCode, base);
  if (failure.kind === 'rejected' && ALREADY_VERIFIED_TEXT.test(`${base.description} ${base.subDescription}`)) {
    return { ...base, kind: 'verified', verifyResults: data?.verify_results ?? [], alreadyVerified: true };
  }
  return failure;
}

/** A non-zero Douyin error code → what the window does about it, for any endpoint. */
/**
 * What every Douyin envelope says beside its data: the error code (extra's, else data's: "extra.
 * error_code、data.error_code 均为 0 代表…成功", the same rule on every page), logid and the words.
 */
export function envelopeBase(
  httpStatus: number,
  data: { error_code?: number; description?: string | null } | null | undefined,
  extra: { error_code: number; logid?: string | null; description?: string | null; sub_description?: string | null },
) {
  const errorCode = extra.error_code !== 0 ? extra.error_code : (data?.error_code ?? 0);
  const base = {
    httpStatus,
    ...(extra.logid ? { logid: extra.logid } : {}),
    ...(errorCode !== 0 ? { errorCode } : {}),
    description: data?.description || extra.description || '',
    subDescription: extra.sub_description ?? '',
  };
  return { errorCode, base };
}

export function classifyErrorCode(
  errorCode: number,
  base: OutcomeBase & { description: string; subDescription: string },
): FailureOutcome {
  const kind = ERROR_CODE_CLASSES[errorCode] ?? 'rejected';
  switch (kind) {
    case 'transient':
      return { ...base, kind, reason: 'douyin_busy', reachedDouyin: true, message: `Douyin busy (${errorCode})` };
    case 'rejected':
      return { ...base, kind, retryable: RETRYABLE_BUSINESS_CODES.has(errorCode) };
    default:
      return { ...base, kind };
  }
}

/** An answer without a usable Douyin envelope: judge it by its HTTP status alone. */
export function httpFallback(httpStatus: number, message: string, known: OutcomeBase = {}): FailureOutcome {
  const base = { ...known, httpStatus };
  if (httpStatus === 429) return { ...base, kind: 'rate_limited' };
  // Any other 4xx without an envelope means we call the wrong URL or send the wrong thing
  // at the HTTP level; retrying will not fix it.
  if (httpStatus >= 400 && httpStatus < 500 && httpStatus !== 408) {
    return { ...base, kind: 'configuration', description: `HTTP ${httpStatus} from the Douyin endpoint` };
  }
  const isHttpError = httpStatus >= 500 || httpStatus === 408;
  return {
    ...base,
    kind: 'transient',
    reason: isHttpError ? 'http_status' : 'bad_body',
    reachedDouyin: true,
    message: isHttpError ? `HTTP ${httpStatus}` : message,
  };
}
