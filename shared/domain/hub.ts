import { z } from 'zod';

/**
 * The site hub's address as a supervisor types it: http(s) only (plain HTTP on the site's LAN is
 * allowed, the hub's requests are signed either way), no user:password, no query or fragment.
 */
export const HubUrl = z
  .string()
  .trim()
  .max(200)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === '' &&
        url.search === '' &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, 'an http:// or https:// address without user, query or fragment');

/** What the supervisor's hub panel shows: paired or not, reachable, and what is still to send. */
export const HubStatus = z.discriminatedUnion('paired', [
  z.object({ paired: z.literal(false) }),
  z.object({
    paired: z.literal(true),
    url: z.string(),
    windowId: z.string(),
    /** null: not tried yet since start. */
    reachable: z.boolean().nullable(),
    lastContactAt: z.number().int().nullable(),
    lastError: z.string().nullable(),
    /** History changes not yet at the hub. */
    pendingChanges: z.number().int().nonnegative(),
    /** Scans made while the hub was away, still to claim. */
    unclaimed: z.number().int().nonnegative(),
  }),
]);
export type HubStatus = z.infer<typeof HubStatus>;
