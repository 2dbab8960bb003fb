import type { Routes } from '../dispatch';
import type { AppStatus } from '../../../shared/domain/status';
import type { OutboxRepository } from '../outbox/repository';
import type { OutboxWorker } from '../outbox/worker';
import type { ScanService } from '../scan/service';

export interface RouteDeps {
  status: () => AppStatus;
  scans: ScanService;
  repo: OutboxRepository;
  worker: OutboxWorker;
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
  };
}
