import { classifyVerifyAnswer } from './classify-answer';
import { stringifyWithInt64 } from './int64-json';
import { createOpenApiCaller, type OpenApiCallerOptions } from './openapi-call';
import type { VerifyOutcome } from './outcome';
import { tripVerifyRequestSchema, type TripVerifyRequest } from './schemas';

const TRIP_VERIFY_PATH = '/goodlife/v1/trip/certificate/verify/';

export type TripVerifyClientOptions = OpenApiCallerOptions;

export interface TripVerifyClient {
  /** Never throws: every failure is a VerifyOutcome. */
  verify(req: TripVerifyRequest, opts?: { signal?: AbortSignal }): Promise<VerifyOutcome>;
  close(): Promise<void>;
}

export function createTripVerifyClient(options: TripVerifyClientOptions): TripVerifyClient {
  const caller = createOpenApiCaller(options);
  return {
    async verify(req, opts = {}) {
      const checked = tripVerifyRequestSchema.safeParse(req);
      if (!checked.success) {
        return { kind: 'invalid_request', description: `request rejected before sending: ${checked.error.message}` };
      }
      // Serialised once so the token retry resends the very same bytes (same verify_token).
      const body = stringifyWithInt64(checked.data);
      return caller.call({ method: 'POST', path: TRIP_VERIFY_PATH, body }, classifyVerifyAnswer, opts.signal);
    },
    close: () => caller.close(),
  };
}
