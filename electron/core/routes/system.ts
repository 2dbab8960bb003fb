import type { systemChannels } from '../../../shared/ipc/channels/system';
import { RouteError } from '../../../shared/ipc/result';
import type { Routes } from '../dispatch';
import { logDirOf } from '../log';
import type { Supervisor } from '../supervisor';

type SystemRoutes = Pick<Routes, keyof typeof systemChannels>;

/** Machine-level actions for a supervisor. Electron's main wraps these to do the OS part. */
export function createSystemRoutes(supervisor: Supervisor, dataDir: () => string): SystemRoutes {
  return {
    'system.openLogFolder': ({ session }) => {
      // The same gate as every supervisor route: no session while a PIN lockout runs.
      if (supervisor.pins.state().lockedUntil !== null) throw new RouteError('locked', 'supervisor mode is locked out', 'sup.error.lockedOut');
      supervisor.sessions.check(session);
      supervisor.audit.record('log_folder_opened');
      return { path: logDirOf(dataDir()), opened: false };
    },
  };
}
