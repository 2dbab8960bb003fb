import { z } from 'zod';
import { appVersionSchema } from './version';

/** The group every window belongs to; a release for it reaches the whole site. */
export const ALL_WINDOWS = 'all';

/** A rollout group ("pilot"); a window is in one group at most, and always in "all". */
const rolloutGroupSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,32}$/, 'must be 1–32 of a-z, 0-9, _ and -');

/** Update channel in the feed's URL (/updates/<channel>/latest.yml). */
export const updateChannelSchema = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1–32 of a-z, 0-9, _ and -');

export const releaseGroupsRequestSchema = z.object({ groups: z.array(rolloutGroupSchema).min(1).max(20) });
export const windowGroupRequestSchema = z.object({ group: rolloutGroupSchema.nullable() });

/** What a window tells the hub about an update: installed, or rolled back after failed starts. */
export const updateReportSchema = z.object({
  event: z.enum(['installed', 'rolled_back']),
  version: appVersionSchema,
  /** The version it came from (installed) or went back to (rolled back). */
  otherVersion: appVersionSchema.optional(),
  detail: z.string().max(500).optional(),
});
export type UpdateReport = z.infer<typeof updateReportSchema>;
