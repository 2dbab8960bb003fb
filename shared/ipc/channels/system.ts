import { z } from 'zod';
import { supervisorOnly, type ChannelSpec } from './common';

const opened = z.object({ path: z.string(), opened: z.boolean() });

export const systemChannels = {
  /**
   * Answers where the log files are; in Electron main also opens that folder in the file manager
   * (`opened`), which the web transport cannot do for a browser.
   */
  'system.openLogFolder': supervisorOnly({}, opened),
  /**
   * Electron only: main prints the page on screen (the shift report, through its print CSS) to a
   * PDF at the path the core chose and opens it. Web mode prints instead. `report` names the file
   * (the shift report, or the day view with its charts); the shift report when absent.
   */
  'system.saveReportPdf': supervisorOnly({ report: z.enum(['shift', 'day']).optional() }, opened),
} satisfies Record<string, ChannelSpec>;
