import { RouteError } from '../../../shared/ipc/result';
import type { Routes } from '../dispatch';
import type { AppStatus } from '../../../shared/domain/status';
import type { Desktop } from '../desktop';
import type { RecoveryLog } from '../db/recovery-log';
import type { ScanRepository } from '../scan/scan-repository';
import type { OutboxWorker } from '../outbox/worker';
import type { ScanService } from '../scan/service';
import type { SignInDesk } from '../operators/sign-in-desk';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';
import type { VoucherImporter } from '../vouchers/importer';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import type { ReaderHost } from '../devices/id-reader/reader-host';
import { createReconcileRoutes, type ReconcileRouteDeps } from './reconcile';
import type { HubLink } from '../hub/link';
import { createDatabaseRoutes } from './database';
import { createOperatorRoutes } from './operators';
import { createShiftRoutes } from './shifts';
import { createDeviceRoutes } from './devices';
import { createPrinterRoutes } from './printer';
import type { PrintDesk } from '../printing/print-desk';
import { createHubRoutes } from './hub';
import { createSupervisorRoutes } from './supervisor';
import { createSystemRoutes } from './system';
import { createVoucherRoutes } from './vouchers';

export interface RouteDeps extends Omit<ReconcileRouteDeps, 'supervisor' | 'now'> {
  status: () => AppStatus;
  scans: ScanService;
  scanRecords: ScanRepository;
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
  printer: PrintDesk;
  hub: HubLink;
}

/**
 * One handler per contract channel, assembled from one group per feature. Inputs arrive already
 * parsed, and supervisor sessions already checked, by `dispatch`; the `Routes` type makes a
 * missing or extra channel a compile error.
 */
export function createRoutes(deps: RouteDeps): Routes {
  return {
    checkSupervisor: (session) => checkSupervisorSession(deps.supervisor, session),
    checkOperator: () => void deps.signIn.scanOperator(),
    'app.status': () => deps.status(),
    'queue.wake': () => {
      deps.worker.wake({ networkBack: true });
      return { ok: true as const };
    },
    'scan.submit': ({ raw, source }) => deps.scans.submit(raw, source),
    'scan.confirmCoupon': ({ count, ...target }) => deps.scans.confirmCoupon(target, count),
    'scan.cancelCoupon': (target) => deps.scans.cancelCoupon(target),
    'scan.recent': ({ limit }) =>
      deps.supervisor.undos.annotate(deps.scanRecords.recent(limit, deps.signIn.operatorAtWork() ?? undefined)),
    ...createVoucherRoutes(deps),
    ...createSupervisorRoutes(deps.supervisor),
    ...createOperatorRoutes(deps.supervisor),
    ...createShiftRoutes(deps.signIn, deps.supervisor, deps.settings),
    ...createDatabaseRoutes(deps.supervisor, deps.recoveries, deps.publishStatus),
    ...createSystemRoutes(deps.supervisor, deps.desktop, () => deps.status().dataDir, deps.now),
    ...createDeviceRoutes(deps),
    ...createReconcileRoutes(deps),
    ...createPrinterRoutes(deps),
    ...createHubRoutes(deps),
  };
}

/**
 * The session must be live and its holder still an enabled supervisor: one disabled while in
 * supervisor mode is out at their next call, not when the idle lock ends it.
 */
function checkSupervisorSession(sup: Supervisor, session: string): void {
  sup.sessions.check(session);
  const holder = sup.operators.find(sup.sessions.holder() ?? '');
  if (holder && !holder.disabled && holder.role === 'supervisor') return;
  // Recorded before the end, so the entry names the supervisor whose session it was.
  sup.audit.record(
    'session_ended_role',
    holder ? `${holder.staffNo} ${holder.disabled ? 'disabled' : holder.role}` : 'no operator',
  );
  sup.sessions.end();
  throw new RouteError('unauthorized', 'supervisor mode is locked', 'sup.error.sessionLocked');
}
