import type { FailureOutcome, TransientReason } from './outcome';

const NO_ANSWER_CODES: Readonly<Record<string, TransientReason>> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'connect_refused',
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
  ETIMEDOUT: 'connect_timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
};

/** Error codes along the cause chain: undici wraps socket errors, Node wraps DNS ones. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    current = cause;
  }
  return codes;
}

/**
 * Maps a failed HTTP exchange to a transient outcome. `answered` is whether the status line
 * had arrived, which is what `reachedDouyin` reports.
 */
export function classifyTransportFailure(
  error: unknown,
  context: { answered: boolean; httpStatus?: number; timedOut: boolean; callerAborted: boolean },
): FailureOutcome {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const base = {
    kind: 'transient' as const,
    reachedDouyin: context.answered,
    message,
    ...(context.httpStatus !== undefined ? { httpStatus: context.httpStatus } : {}),
  };
  if (context.callerAborted) return { ...base, reason: 'aborted' };
  if (context.timedOut) return { ...base, reason: 'timeout' };
  if (context.answered) {
    const timedOutReading = errorCodes(error).includes('UND_ERR_BODY_TIMEOUT');
    return { ...base, reason: timedOutReading ? 'timeout' : 'truncated_body' };
  }
  const reason = errorCodes(error)
    .map((code) => NO_ANSWER_CODES[code])
    .find((r) => r !== undefined);
  return { ...base, reason: reason ?? 'reset' };
}
