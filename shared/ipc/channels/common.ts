import { z } from 'zod';

/** Inputs are strict: an unexpected key is a bug or an attack, never something to ignore. */
export const none = z.object({}).strict();
export const done = z.object({ ok: z.literal(true) });

/** Every supervisor call but the PIN ones carries the session token that unlocking returned. */
const session = z.string().min(16).max(128);
const withSession = <T extends z.ZodRawShape>(shape: T) => z.object({ session, ...shape }).strict();

/** Every contract input is small; anything bigger is a mistake or an attack. */
export const DEFAULT_BODY_BYTES = 64 * 1024;

/**
 * What every channel declares: its schemas, who may call it, and the most bytes a transport reads
 * for one call (DEFAULT_BODY_BYTES unless it says more). `auth: 'staff'` is whoever the transport
 * let in (our own window in Electron, the signed-in page in web mode), with no session of its
 * own; `auth: 'operator'` is the operator at work at the window (issue 15): signed in and not on
 * a break where the window requires a sign-in, never while the screen is locked for a break;
 * `auth: 'supervisor'` also needs the live supervisor session of an enabled supervisor (role),
 * whose token the input must carry. Dispatch checks both before any route runs.
 */
export type ChannelSpec = { output: z.ZodType; maxBodyBytes?: number } & (
  | { auth: 'staff'; input: z.ZodType }
  | { auth: 'operator'; input: z.ZodType }
  | { auth: 'supervisor'; input: z.ZodType<{ session: string }> }
);

/** A channel anyone at the window may call. */
export const staff = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, extra: { maxBodyBytes?: number } = {}) => ({
  auth: 'staff' as const,
  input,
  output,
  ...extra,
});

/** A channel for the operator at work (scanning, their own recent scans): see ChannelSpec. */
export const operator = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  extra: { maxBodyBytes?: number } = {},
) => ({
  auth: 'operator' as const,
  input,
  output,
  ...extra,
});

/** A channel that needs the live supervisor session; its input is `withSession(shape)`. */
export const supervisorOnly = <T extends z.ZodRawShape, O extends z.ZodType>(
  shape: T,
  output: O,
  extra: { maxBodyBytes?: number } = {},
) => ({ auth: 'supervisor' as const, input: withSession(shape), output, ...extra });
