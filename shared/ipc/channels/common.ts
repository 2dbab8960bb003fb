import { z } from 'zod';

/** Inputs are strict: an unexpected key is a bug or an attack, never something to ignore. */
export const none = z.object({}).strict();
export const done = z.object({ ok: z.literal(true) });
