import type { Routes } from '../dispatch';
import type { AppStatus } from '../../../shared/domain/status';
import type { OutboxRepository } from '../outbox/repository';
import type { OutboxWorker } from '../outbox/worker';
import type { ScanService } from '../scan/service';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';
import { fetchVoucherFeed } from '../vouchers/feed';
import type { VoucherImporter } from '../vouchers/importer';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import { RouteError } from '../../../shared/ipc/result';
import { createSupervisorRoutes } from './supervisor';
import { createSystemRoutes } from './system';

export interface RouteDeps {
  status: () => AppStatus;
  scans: ScanService;
  repo: OutboxRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  importer: VoucherImporter;
  index: VoucherIndexRepository;
  supervisor: Supervisor;
}

/**
 * One handler per contract channel, assembled from one group per feature. Inputs arrive already
 * parsed by `dispatch`; the `Routes` type makes a missing or extra channel a compile error.
 */
export function createRoutes(deps: RouteDeps): Routes {
  return {
    'app.status': () => deps.status(),
    'queue.wake': () => {
      deps.worker.wake({ networkBack: true });
      return { ok: true as const };
    },
    'scan.submit': ({ raw, source }) => deps.scans.submit(raw, source),
    'scan.recent': ({ limit }) => deps.repo.recent(limit),
    'vouchers.import': ({ text }) => deps.importer.importText(text),
    'vouchers.pull': async () => {
      const url = deps.settings.get().voucherFeedUrl;
      if (!url) throw new RouteError('not_found', 'no voucher feed URL configured', 'feed_not_configured');
      return deps.importer.importText(await fetchVoucherFeed(url));
    },
    'vouchers.summary': () => ({ orders: deps.index.orderCount() }),
    ...createSupervisorRoutes(deps.supervisor),
    ...createSystemRoutes(deps.supervisor, () => deps.status().dataDir),
  };
}
