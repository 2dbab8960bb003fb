import type { databaseChannels } from '../../../shared/ipc/channels/database';
import type { RecoveryLog } from '../db/recovery-log';
import type { Handlers } from '../dispatch';
import type { Supervisor } from '../supervisor';

type DatabaseRoutes = Pick<Handlers, keyof typeof databaseChannels>;

/** The supervisor's acknowledgement of a database repair; dispatch has checked the session. */
export function createDatabaseRoutes(sup: Supervisor, recoveries: RecoveryLog, publishStatus: () => void): DatabaseRoutes {
  return {
    'supervisor.database.acknowledge': ({ recoveryId }) => {
      recoveries.acknowledge(recoveryId, sup.actor());
      sup.audit.record('database_recovery_acknowledged', `recovery ${recoveryId}`);
      publishStatus();
      return { ok: true as const };
    },
  };
}
