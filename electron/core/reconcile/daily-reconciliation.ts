import { businessDate } from '../../../shared/time';
import { loggerFor } from '../log';
import type { Reconciler } from './reconciler';
import type { ReconciliationRepository } from './reconciliation-repository';

const log = loggerFor('reconcile');

const DAY_MS = 86_400_000;
/** After midnight, Douyin's records of the day still settle (late answers, retries): wait this long. */
const SETTLE_MS = 30 * 60_000;
/** A failed daily run (Douyin away) is tried again, at most this often. */
const RETRY_MS = 60 * 60_000;
const CHECK_EVERY_MS = 15 * 60_000;
const FIRST_CHECK_MS = 60_000;

export interface DailyReconciliationDeps {
  reconciler: Reconciler;
  repo: ReconciliationRepository;
  /** Whether reconciliation is configured (account id and POI): otherwise the job stays quiet. */
  configured: () => boolean;
  now: () => number;
}

/**
 * Once per Beijing day, after the day ended and settled, the window reconciles that day with
 * Douyin. It runs on timers, never on the scan path, and the client paces its requests within
 * the endpoint's QPS. A day already reconciled whole (by the job or a supervisor) is not read again.
 */
export class DailyReconciliation {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: DailyReconciliationDeps) {}

  /** The last day that has ended and settled. */
  dueDay(): string {
    return businessDate(this.deps.now() - SETTLE_MS - DAY_MS);
  }

  /** Runs the due day if it needs running; resolves when done (tests await it, the timers do not). */
  async tick(): Promise<void> {
    const { reconciler, repo, now } = this.deps;
    if (!this.deps.configured() || reconciler.busy) return;
    const day = this.dueDay();
    if (repo.isComplete(day)) return;
    const tried = repo.lastTryAt(day, 'daily');
    if (tried !== null && now() - tried < RETRY_MS) return;
    try {
      await reconciler.run(day, 'daily');
    } catch (error) {
      log.error(`[reconcile] the daily run for ${day} could not start`, error);
    }
  }

  start(): void {
    const tick = () => void this.tick();
    const first = setTimeout(tick, FIRST_CHECK_MS);
    const every = setInterval(tick, CHECK_EVERY_MS);
    first.unref();
    every.unref();
    this.timers.push(first, every);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }
}
