import { join } from 'node:path';
import type { systemChannels } from '../../../shared/ipc/channels/system';
import type { Desktop } from '../desktop';
import type { Handlers } from '../dispatch';
import { logDirOf } from '../log';
import type { Supervisor } from '../supervisor';

type SystemRoutes = Pick<Handlers, keyof typeof systemChannels>;

/**
 * Machine-level actions for a supervisor. The core (dispatch) checks the session and decides the
 * paths; the Desktop port does the OS part, and the audit log records only what was done.
 */
export function createSystemRoutes(
  supervisor: Supervisor,
  desktop: Desktop,
  dataDir: () => string,
  now: () => number = Date.now,
): SystemRoutes {
  return {
    'system.openLogFolder': async () => {
      const path = logDirOf(dataDir());
      const opened = await desktop.openPath(path);
      supervisor.audit.record('log_folder_opened');
      return { path, opened };
    },
    'system.saveReportPdf': async ({ report }) => {
      const stamp = new Date(now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const path = join(dataDir(), 'reports', `${report === 'day' ? 'day-report' : 'shift-report'}-${stamp}.pdf`);
      await desktop.savePdf(path);
      supervisor.audit.record('report_pdf_saved', path);
      return { path, opened: await desktop.openPath(path) };
    },
  };
}
