import { z } from 'zod';
import { withSession } from './common';

const opened = z.object({ path: z.string(), opened: z.boolean() });

export const systemChannels = {
  /**
   * Supervisor only. Answers where the log files are; in Electron main also opens that folder in
   * the file manager (`opened`), which the web transport cannot do for a browser.
   */
  'system.openLogFolder': { input: withSession({}), output: opened },
  /**
   * Supervisor only, Electron only: main prints the page on screen (the shift report, through
   * its print CSS) to a PDF at the path the core chose and opens it. Web mode prints instead.
   */
  'system.saveReportPdf': { input: withSession({}), output: opened },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
