import { z } from 'zod';

export const systemChannels = {
  /**
   * Supervisor only. Answers where the log files are; in Electron main also opens that folder in
   * the file manager (`opened`), which the web transport cannot do for a browser.
   */
  'system.openLogFolder': {
    input: z.object({ session: z.string().min(16).max(128) }).strict(),
    output: z.object({ path: z.string(), opened: z.boolean() }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
