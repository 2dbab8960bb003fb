import { join } from 'node:path';
import type { systemChannels } from '../../../shared/ipc/channels/system';
import type { Handlers } from '../dispatch';
import { logDirOf } from '../log';
import type { Supervisor } from '../supervisor';

type SystemRoutes = Pick<Handlers, keyof typeof systemChannels>;

/**
 * Machine-level actions for a supervisor. The core (dispatch) checks the session and decides the
 * paths; Electron's main wraps these to do the OS part (electron/main/shell-routes.ts).
 */
export function createSystemRoutes(supervisor: Supervisor, dataDir: () => string, now: () => number = Date.now): SystemRoutes {
  return {
    'system.openLogFolder': () => {
      supervisor.audit.record('log_folder_opened');
      return { path: logDirOf(dataDir()), opened: false };
    },
    'system.saveReportPdf': () => {
      const stamp = new Date(now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const path = join(dataDir(), 'reports', `shift-report-${stamp}.pdf`);
      supervisor.audit.record('report_pdf_saved', path);
      return { path, opened: false };
    },
  };
}
