import { z } from 'zod';
import { appVersionSchema } from './version';

/** base64 of a SHA-512 digest, as electron-builder writes it. */
const sha512Schema = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be the base64 of a SHA-512 digest');
/** A file name next to latest.yml: no folder, no way out of the release. */
const fileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+$/, 'must be a file name without folders')
  .refine((name) => name !== '.' && name !== '..', 'must be a file name');

/**
 * latest.yml of electron-builder's NSIS target, which electron-updater's generic provider reads.
 * The top-level `path`/`sha512` repeat the installer's entry in `files` (older updaters read them).
 */
export const latestYmlSchema = z
  .object({
    version: appVersionSchema,
    files: z
      .array(
        z.object({
          url: fileNameSchema,
          sha512: sha512Schema,
          size: z.number().int().positive(),
          blockMapSize: z.number().int().positive().optional(),
          isAdminRightsRequired: z.boolean().optional(),
        }),
      )
      .min(1),
    path: fileNameSchema,
    sha512: sha512Schema,
    releaseDate: z.union([z.string(), z.date()]).transform((value, ctx) => {
      const date = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO date' });
        return z.NEVER;
      }
      return date.toISOString();
    }),
    releaseNotes: z.string().max(20_000).optional(),
  })
  .superRefine((yml, ctx) => {
    const installer = yml.files.find((file) => file.url === yml.path);
    if (!installer) ctx.addIssue({ code: 'custom', path: ['path'], message: 'must be one of files[].url' });
    else if (installer.sha512 !== yml.sha512)
      ctx.addIssue({ code: 'custom', path: ['sha512'], message: 'must equal the sha512 of files[] entry for path' });
  });
