import { z } from 'zod';

/** Inputs are strict: an unexpected key is a bug or an attack, never something to ignore. */
export const none = z.object({}).strict();
export const done = z.object({ ok: z.literal(true) });

/** Every supervisor call but the PIN ones carries the session token that unlocking returned. */
export const session = z.string().min(16).max(128);
export const withSession = <T extends z.ZodRawShape>(shape: T) => z.object({ session, ...shape }).strict();
