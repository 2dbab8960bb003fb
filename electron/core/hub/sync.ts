import { loggerFor } from '../log';
import { HubRefused, HubUnreachable, type HubClient } from './client';
import type { HubOutbox, UnclaimedScan } from './history-outbox';
import { claimKeyOf } from './site-claims';

const log = loggerFor('hub');

/** A scan's burst is sent as one batch: the first change waits this long for the ones after it. */
const WAKE_DELAY_MS = 250;
const DEFAULT_INTERVAL_MS = 5_000;
/** Later claims are off the scan path: they may wait longer than the scan path's claim budget. */
const LATER_CLAIM_TIMEOUT_MS = 5_000;
const CLAIMS_PER_ROUND = 100;
/** Bounds one round, so a long backlog never starves the claims of the next one. */
const BATCHES_PER_ROUND = 20;

export interface HubSyncStatus {
  /** null: not tried since start (or no hub). */
  reachable: boolean | null;
  lastContactAt: number | null;
  lastError: string | null;
}

export interface HubSyncDeps {
  outbox: HubOutbox;
  client: () => HubClient | undefined;
  now: () => number;
  version?: string | undefined;
  /** How often it looks for work, and probes a hub that was away. */
  intervalMs?: number;
  /** A conflict was found or the hub came and went: the status line changes. */
  onChange?: () => void;
  /** Brings the window's voucher copy up to date; true when more is waiting than one round pulls. */
  pullVouchers?: (client: HubClient, stopped: () => boolean) => Promise<boolean>;
}

/**
 * The background half of the site hub, off the scan path: claims the scans made while the hub
 * was away, releases claims Douyin refused, and sends the history outbox batch by batch, each
 * forgotten only once the hub answered that it has it. A crash anywhere just sends again what
 * the hub may already have; the hub's cursor makes that a no-op.
 */
export class HubSync {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private stopped = false;
  private state: HubSyncStatus = { reachable: null, lastContactAt: null, lastError: null };

  constructor(private readonly deps: HubSyncDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something changed (a scan, a pairing): run soon, batched with what follows. */
  wake(): void {
    this.schedule(WAKE_DELAY_MS);
  }

  status(): HubSyncStatus {
    return this.deps.client() ? { ...this.state } : { reachable: null, lastContactAt: null, lastError: null };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round now (tests and the supervisor's "sync now"); resolves when it is done. */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.round().finally(() => (this.running = undefined));
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer && at >= this.dueAt) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Number.POSITIVE_INFINITY;
      void this.runOnce().catch((error: unknown) => log.error('sync round failed', error));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const client = this.deps.client();
    let more = false;
    if (client) {
      const wasReachable = this.state.reachable;
      try {
        await this.claimLater(client);
        await this.releaseRefused(client);
        more = await this.pushHistory(client);
        // After the history: the scans waiting to go out matter more than a new voucher list.
        if (await this.deps.pullVouchers?.(client, () => this.stopped)) more = true;
        this.state = { reachable: true, lastContactAt: this.deps.now(), lastError: null };
      } catch (error) {
        if (!(error instanceof HubUnreachable) && !(error instanceof HubRefused)) throw error;
        this.state = { ...this.state, reachable: false, lastError: error.message };
        if (wasReachable !== false) log.warn(`site hub away: ${error.message}`);
      }
      if (wasReachable !== this.state.reachable) this.deps.onChange?.();
    }
    this.schedule(more ? 0 : (this.deps.intervalMs ?? DEFAULT_INTERVAL_MS));
  }

  private async claimLater(client: HubClient): Promise<void> {
    let changed = false;
    for (const scan of this.deps.outbox.unclaimed(CLAIMS_PER_ROUND)) {
      if (this.stopped) break;
      const answer = await client.claim(this.claimOf(scan, true), LATER_CLAIM_TIMEOUT_MS);
      if (answer.won) this.deps.outbox.claimedLater(scan.scanId);
      else if (this.deps.outbox.lost(scan.scanId, { windowName: answer.windowName, at: answer.claimedAtMs }, this.deps.now())) {
        log.warn(`scan ${scan.scanId} claimed later lost to ${answer.windowName}: a conflict for the supervisor`);
        changed = true;
      }
    }
    if (changed) this.deps.onChange?.();
  }

  private async releaseRefused(client: HubClient): Promise<void> {
    for (const scan of this.deps.outbox.refusedClaims(CLAIMS_PER_ROUND)) {
      if (this.stopped) break;
      await client.release(this.claimOf(scan, false));
      this.deps.outbox.released(scan.scanId);
    }
  }

  /** true when more is waiting than one round sends. */
  private async pushHistory(client: HubClient): Promise<boolean> {
    for (let n = 0; n < BATCHES_PER_ROUND; n++) {
      if (this.stopped) return false;
      const batch = this.deps.outbox.batch();
      if (!batch) return false;
      const answer = await client.pushHistory({ ...batch, ...(this.deps.version ? { version: this.deps.version } : {}) });
      this.deps.outbox.forget(Math.min(answer.lastSeq, batch.throughSeq));
    }
    return true;
  }

  private claimOf(scan: UnclaimedScan, later: boolean) {
    const key =
      scan.claimKey ??
      claimKeyOf({ orderId: scan.orderId, part: scan.projectId === null ? null : { projectId: scan.projectId } });
    return { key, scanId: scan.verifyToken, ...(later ? { usedAtMs: scan.at } : {}) };
  }
}
