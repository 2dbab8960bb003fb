import type { Routes } from '../dispatch';
import type { AppStatus } from '../../../shared/domain/status';
import type { Desktop } from '../desktop';
import type { RecoveryLog } from '../db/recovery-log';
import type { OutboxRepository } from '../outbox/repository';
import type { OutboxWorker } from '../outbox/worker';
import type { ScanService } from '../scan/service';
import type { SignInDesk } from '../operators/sign-in-desk';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';
import type { VoucherImporter } from '../vouchers/importer';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import type { ReaderHost } from '../devices/id-reader/reader-host';
import type { HubLink } from '../hub/link';
import { createDatabaseRoutes } from './database';
import { createOperatorRoutes } from './operators';
import { createShiftRoutes } from './shifts';
import { createDeviceRoutes } from './devices';
import { createHubRoutes } from './hub';
import { createSupervisorRoutes } from './supervisor';
import { createSystemRoutes } from './system';
import { createVoucherRoutes } from './vouchers';

export interface RouteDeps {
  status: () => AppStatus;
  scans: ScanService;
  repo: OutboxRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  importer: VoucherImporter;
  index: VoucherIndexRepository;
  supervisor: Supervisor;
  now: () => number;
  recoveries: RecoveryLog;
  publishStatus: () => void;
  desktop: Desktop;
  signIn: SignInDesk;
  reader: ReaderHost;
  hub: HubLink;
}

/**
 * One handler per contract channel, assembled from one group per feature. Inputs arrive already
 * parsed, and supervisor sessions already checked, by `dispatch`; the `Routes` type makes a
 * missing or extra channel a compile error.
 */
export function createRoutes(deps: RouteDeps): Routes {
  return {
    checkSupervisor: (session) => void deps.supervisor.sessions.check(session),
    'app.status': () => deps.status(),
    'queue.wake': () => {
      deps.worker.wake({ networkBack: true });
      return { ok: true as const };
    },
    'scan.submit': ({ raw, source }) => deps.scans.submit(raw, source),
    'scan.confirmCoupon': ({ prepareId, count }) => deps.scans.confirmCoupon(prepareId, count),
    'scan.cancelCoupon': ({ prepareId }) => deps.scans.cancelCoupon(prepareId),
    'scan.recent': ({ limit }) => deps.repo.recent(limit),
    ...createVoucherRoutes(deps),
    ...createSupervisorRoutes(deps.supervisor),
    ...createOperatorRoutes(deps.supervisor),
    ...createShiftRoutes(deps.signIn, deps.supervisor, deps.settings),
    ...createDatabaseRoutes(deps.supervisor, deps.recoveries, deps.publishStatus),
    ...createSystemRoutes(deps.supervisor, deps.desktop, () => deps.status().dataDir, deps.now),
    ...createDeviceRoutes(deps),
    ...createHubRoutes(deps),
  };
}
