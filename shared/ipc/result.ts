import { z } from 'zod';

/**
 * What crosses IPC (and the web transport) instead of a thrown error: errors do not survive
 * structured cloning intact, and the renderer must be able to show a translated message by code.
 */
const errorCodes = [
  'bad_input',
  'forbidden',
  'unknown_channel',
  'not_found',
  'storage_full',
  'storage_failed',
  'locked',
  'unauthorized',
  'conflict',
  'internal',
  // The core's own process (issue 12): restarting after a crash; an OS action web mode has not.
  'recovering',
  'not_available',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.object({
  code: ErrorCode,
  /** English, for logs and developers; the renderer shows its own translation of `code`. */
  message: z.string(),
  /** Optional message key with parameters for a more precise translation (e.g. a field's rule). */
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof AppError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, detail?: string): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});

/** Thrown inside core routes to end a call with a specific code; `dispatch` turns it into a Result. */
export class RouteError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'RouteError';
  }
}
