import { randomBytes } from 'node:crypto';

export interface ErrorInfo {
  errorCode: number;
  description: string;
  subDescription?: string;
}

/** Douyin-style logid: yyyyMMddHHmmss + random hex; fresh for every answer. */
function newLogid(nowMs: number): string {
  const stamp = new Date(nowMs + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

/** The verify endpoint's envelope; `data` is extended with whatever the answer carries. */
export function verifyEnvelope(nowMs: number, data: Record<string, unknown>, error?: ErrorInfo): object {
  return {
    data: { ...data, error_code: error?.errorCode ?? 0, description: error?.description ?? '' },
    extra: {
      error_code: error?.errorCode ?? 0,
      description: error?.description ?? '',
      sub_error_code: 0,
      sub_description: error?.subDescription ?? '',
      logid: newLogid(nowMs),
      now: Math.floor(nowMs / 1000),
    },
  };
}
