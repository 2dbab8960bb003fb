import type { CouponClient } from '../douyin/coupon-client';
import type { CouponVerifyRequest } from '../douyin/coupon-schemas';
import type { TripVerifyRequest } from '../douyin/schemas';
import type { VerifyOutcome } from '../douyin/outcome';
import { parseJsonKeepingInt64, stringifyWithInt64 } from '../douyin/int64-json';
import type { Verdict, VerdictReason } from '../../../shared/domain/scan';
import type { IdSealer } from '../secrets/id-sealer';
import type { RateLimiter } from './limiter';
import type { OutboxRepository, OutboxRow } from './repository';
import { loggerFor } from '../log';
import { OFFLINE_CAP_MS } from './backoff';
import { CouponCancelItem, sendCouponCancel, type CouponCancelOutcome } from './coupon-canceller';
import { sendCouponVerify, type CouponSendOutcome } from './coupon-verifier';
import {
  offlineCouponRequestOf,
  PREPARED_OUTCOME,
  type OfflineCouponPreparer,
  type OfflineCouponRequest,
  type PrepareStep,
} from './offline-coupon-item';
import { describe, transition, type Transition } from './transition';

const log = loggerFor('outbox');

/** How far ahead of its limiter slot an item may be claimed (it then waits in memory). */
const CLAIM_AHEAD_MS = 25;

export interface Verifier {
  verify(request: TripVerifyRequest, options?: { signal?: AbortSignal }): Promise<VerifyOutcome>;
}

export interface Settled {
  row: OutboxRow;
  outcome: VerifyOutcome;
  transition: Transition;
}

/** Decided at the moment the answer is written: the scan's verdict, if the staff are still waiting. */
export type VerdictFor = (
  outcome: VerifyOutcome,
  next: Transition,
) => { verdict: Verdict; reason: VerdictReason; douyinMessage?: string | undefined } | undefined;

/**
 * What the scan side writes beside an attempt, inside the attempt's transaction: the answer the
 * waiting staff are shown, and a coupon verify's verify_ids. The outbox owns neither table.
 */
interface AnswerWriter {
  setVerdict(answer: { scanId: number } & NonNullable<ReturnType<VerdictFor>>): void;
  certificatesVerified(scanId: number, certificates: readonly { certificateId: string; verifyId: string }[], at: number): void;
  tripVerifyIds(scanId: number, ids: readonly { verifyId: string; certificateId?: string | undefined }[]): void;
  /** An undo item's certificates Douyin no longer holds as verified by us. */
  certificatesUndone(undoOutboxId: number, certificateIds: readonly string[], at: number): void;
  /** What the later prepare of an offline-admitted coupon chose (its order, product, certificates). */
  couponPrepared(scanId: number, step: Extract<PrepareStep, { kind: 'prepared' }>): void;
}

export interface WorkerOptions {
  repo: OutboxRepository;
  answers: AnswerWriter;
  verifier: Verifier;
  /** The platform's coupon client (re-pointed on reconnect like the verifier). */
  coupons: () => CouponClient;
  /** Prepares a coupon admitted offline before its verify; without it such an item waits for a supervisor. */
  offlineCoupons?: OfflineCouponPreparer;
  limiter: RateLimiter;
  /** Opens sealed ID numbers just before sending, and masks them once a request is done. */
  sealer: IdSealer;
  now: () => number;
  /** Different orders sent at once; one order is never sent twice at once (platform rule). */
  maxInFlight?: number;
  /** Longest sleep between looks at the queue, so a missed wake-up costs at most this. */
  heartbeatMs?: number;
  random?: () => number;
  onSettled?: (settled: Settled) => void;
  onReachability?: (reached: boolean, at: number) => void;
  onPause?: (reason: string | null) => void;
}

/**
 * Sends queued verify requests to Douyin and records every attempt. It wakes on a new scan,
 * on the network coming back, and on a timer; while Douyin is unreachable only one request at a
 * time goes out, as the probe, at a capped interval.
 */
export class OutboxWorker {
  private readonly inFlightOrders = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private offlineStreak = 0;
  private pausedReason: string | null = null;
  /** Set when the OS says the network is back: send one item now, as the probe, due or not. */
  private probeNow = false;
  /** While offline, the next probe waits until then (monotonic ms): one probe per backoff step. */
  private nextProbeAt = 0;
  /** Set when due items wait only for the rate limiter: look again as soon as it has a slot. */
  private limiterWait: number | undefined;
  private readonly maxInFlight: number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: WorkerOptions) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
  }

  get online(): boolean {
    return this.offlineStreak === 0;
  }

  get paused(): string | null {
    return this.pausedReason;
  }

  start(): void {
    this.stopped = false;
    this.options.repo.requeueInterrupted(this.options.now());
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** A new item, the OS saying the network is back, or a supervisor's "retry now". */
  wake(options: { networkBack?: boolean } = {}): void {
    if (options.networkBack && this.offlineStreak > 0) this.probeNow = true;
    queueMicrotask(() => this.pump());
  }

  /** A supervisor fixed the configuration (credentials, authorisation): send again. */
  resume(): void {
    this.setPaused(null);
    this.wake();
  }

  /** Whether the scan path may send this order now, ahead of the queue. */
  canSendNow(orderId: string): boolean {
    if (this.stopped || this.pausedReason !== null || this.inFlightOrders.has(orderId)) return false;
    // Offline, a visitor's scan may itself be the probe, when no probe is out and one is due:
    // the network coming back shows at the next visitor, not at the next timer.
    return this.online || (this.running.size === 0 && performance.now() >= this.nextProbeAt);
  }

  /** Sends an item the scan path wrote as already claimed ('sending'). */
  sendClaimed(row: OutboxRow, verdictFor: VerdictFor): Promise<Settled> {
    return this.track(this.send(row, true, verdictFor));
  }

  private pump(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.pausedReason === null) this.startDueItems();
    this.scheduleNextLook();
  }

  private startDueItems(): void {
    const { repo, now } = this.options;
    if (!this.online && !this.probeNow && performance.now() < this.nextProbeAt) return;
    const limit = this.online ? this.maxInFlight : 1;
    let capacity = limit - this.running.size;
    if (capacity <= 0) return;
    const due = repo.due(now(), capacity + this.inFlightOrders.size + 4);
    if (this.probeNow && due.length === 0) {
      const oldest = repo.oldestQueued();
      if (oldest) due.push(oldest);
    }
    this.probeNow = false;
    for (const row of due) {
      if (capacity <= 0) break;
      if (this.inFlightOrders.has(row.order_id)) continue;
      // Claim only when the limiter has a slot (nearly) now: a row claimed early would sit in
      // 'sending' behind the visitors' priority scans, holding its order and the offline probe.
      const wait = this.options.limiter.nextWait();
      if (wait > CLAIM_AHEAD_MS) {
        this.limiterWait = wait - CLAIM_AHEAD_MS;
        break;
      }
      if (!repo.claim(row.id, now())) continue;
      capacity -= 1;
      this.track(this.send({ ...row, state: 'sending' }, false));
    }
  }

  private scheduleNextLook(): void {
    const nextDue = this.options.repo.nextDueAt();
    let wait = nextDue === null ? this.heartbeatMs : Math.min(this.heartbeatMs, Math.max(0, nextDue - this.options.now()));
    if (!this.online) wait = Math.max(wait, this.nextProbeAt - performance.now());
    // Items may exist that all wait on busy orders or capacity: a settling send pumps again, so
    // the timer need not spin; only a limiter slot is worth a prompt look.
    let floor = 50;
    if (this.limiterWait !== undefined) {
      wait = Math.min(wait, this.limiterWait);
      floor = Math.min(floor, this.limiterWait);
      this.limiterWait = undefined;
    }
    this.timer = setTimeout(() => this.pump(), Math.max(wait, floor));
    this.timer.unref?.();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    work
      .catch((error: unknown) => log.error('attempt could not be recorded', error))
      .finally(() => {
        this.running.delete(work);
        // The next turn: the queue's look (two queries) after the waiting visitor's answer, not before.
        setImmediate(() => this.pump());
      });
    return work;
  }

  private async send(row: OutboxRow, priority: boolean, verdictFor?: VerdictFor): Promise<Settled> {
    const { repo, now } = this.options;
    this.inFlightOrders.add(row.order_id);
    try {
      return await this.attempt(row, priority, verdictFor);
    } catch (error) {
      // Most likely the disk is full. The row keeps its token and goes back to the queue; if
      // even that cannot be written, the start-up requeue of 'sending' rows picks it up.
      try {
        repo.release(row.id, now(), now() + OFFLINE_CAP_MS);
      } catch {
        // Nothing more to do here without a disk.
      }
      throw error;
    } finally {
      this.inFlightOrders.delete(row.order_id);
    }
  }

  private async attempt(row: OutboxRow, priority: boolean, verdictFor?: VerdictFor): Promise<Settled> {
    await this.slot(priority);
    const offline = row.kind === 'coupon' ? offlineCouponRequestOf(row.request) : undefined;
    if (!offline) return this.sendAndRecord(row, verdictFor);
    const prepared = await this.prepareOffline(row, offline);
    if ('settled' in prepared) return prepared.settled;
    const verify = prepared.row;
    if (this.inFlightOrders.has(verify.order_id)) {
      // Another request of this very order is out (the platform allows one at a time): the
      // verify written just now goes back to the queue, due at once, with its token.
      const at = this.options.now();
      this.options.repo.release(verify.id, at, at);
      const waiting: Transition = { state: 'queued', tries: verify.tries, nextAttemptAt: at, lastReason: null };
      return {
        row: verify,
        outcome: { kind: 'transient', reason: 'douyin_busy', reachedDouyin: true, message: 'order in flight' },
        transition: waiting,
      };
    }
    this.inFlightOrders.add(verify.order_id);
    try {
      await this.slot(priority);
      return await this.sendAndRecord(verify, verdictFor);
    } finally {
      this.inFlightOrders.delete(verify.order_id);
    }
  }

  private async slot(priority: boolean): Promise<void> {
    const wait = this.options.limiter.reserve(priority);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /**
   * The later prepare of a coupon admitted offline. Its answer and the verify request it makes
   * are written in one transaction (an attempt 'prepared', the request rewritten, the scan's order
   * and certificates) before that verify is sent, so a crash after it retries the verify with
   * Douyin's token and never prepares again. A prepare that fails is recorded like any attempt.
   */
  private async prepareOffline(
    row: OutboxRow,
    request: OfflineCouponRequest,
  ): Promise<{ settled: Settled } | { row: OutboxRow }> {
    const { repo, answers, now } = this.options;
    const startedAt = now();
    const step: PrepareStep = this.options.offlineCoupons
      ? await this.options.offlineCoupons.prepare(request)
      : { kind: 'failed', outcome: { kind: 'invalid_request', description: 'no coupon preparer' } };
    const finishedAt = now();
    if (step.kind === 'failed') {
      return { settled: this.record(row, step.outcome, { startedAt, finishedAt, label: 'prepare:', hold: step.hold }) };
    }
    const verifyRequest = stringifyWithInt64(step.request);
    const next: Transition = { state: 'sending', tries: row.tries, nextAttemptAt: finishedAt, lastReason: null };
    repo.finishAttempt(
      row.id,
      { startedAt, finishedAt, outcome: PREPARED_OUTCOME, reached: true, logid: step.logid, message: step.shortfall },
      next,
      verifyRequest,
      () => {
        if (row.scan_id !== null) answers.couponPrepared(row.scan_id, step);
      },
      step.orderId,
    );
    this.noteReached(true, finishedAt, this.offlineStreak > 0);
    return { row: { ...row, order_id: step.orderId, request: verifyRequest, state: 'sending' } };
  }

  private async sendAndRecord(row: OutboxRow, verdictFor?: VerdictFor): Promise<Settled> {
    const { repo, verifier, now } = this.options;
    const startedAt = now();
    const stored = parseJsonKeepingInt64(row.request) as TripVerifyRequest;
    // Coupon requests (verify and undo) carry no personal data: nothing to open or wipe.
    const outcome: CouponSendOutcome & Partial<Pick<CouponCancelOutcome, 'undone'>> =
      row.kind === 'coupon_cancel'
        ? await sendCouponCancel(this.options.coupons(), CouponCancelItem.parse(JSON.parse(row.request)), {
            now: startedAt,
            mayHaveReached: repo.mayHaveReachedDouyin(row.id),
            alreadyUndone: repo.undoneBy(row.id),
          })
        : row.kind === 'coupon'
          ? await sendCouponVerify(this.options.coupons(), stored as unknown as CouponVerifyRequest, {
              earlierMayHaveReached: () => repo.mayHaveReachedDouyin(row.id),
            })
          : await verifier.verify(this.options.sealer.open(stored));
    return this.record(row, outcome, { startedAt, finishedAt: now(), verdictFor, stored });
  }

  /** One attempt's outcome, recorded with the item's next state (and what goes beside it). */
  private record(
    row: OutboxRow,
    outcome: CouponSendOutcome & Partial<Pick<CouponCancelOutcome, 'undone'>>,
    at: {
      startedAt: number;
      finishedAt: number;
      verdictFor?: VerdictFor | undefined;
      /** The trip request as sent, wiped of personal data once it is done. */
      stored?: TripVerifyRequest;
      /** 'prepare:' for an offline coupon's prepare, so its attempts read apart from the verify's. */
      label?: string;
      hold?: { reason: string; conflict: boolean } | undefined;
    },
  ): Settled {
    const { repo, answers, limiter } = this.options;
    const { startedAt, finishedAt, verdictFor, stored } = at;
    const reached = outcome.kind !== 'transient' || outcome.reachedDouyin;
    const wasOffline = this.offlineStreak > 0;
    this.offlineStreak = reached ? 0 : this.offlineStreak + 1;
    let next = transition(row, outcome, finishedAt, Math.max(1, this.offlineStreak), this.options.random);
    // "Already verified" is our own success only if an earlier attempt of this very request may
    // have reached Douyin; otherwise someone else used the ticket first.
    // (An undo finding the verify gone has what it asked for, whoever removed it.)
    const usedElsewhere =
      row.kind !== 'coupon_cancel' &&
      outcome.kind === 'verified' &&
      outcome.alreadyVerified &&
      !repo.mayHaveReachedDouyin(row.id);
    let verdict = verdictFor?.(outcome, next);
    if (at.hold) {
      // People were let in on this coupon: a supervisor decides, nothing is retried by itself.
      next = { ...next, state: 'needs_attention', lastReason: at.hold.reason };
      if (at.hold.conflict) verdict = { verdict: 'refused', reason: 'used_elsewhere', douyinMessage: at.hold.reason };
    }
    if (usedElsewhere) {
      const words = [outcome.description, outcome.subDescription].filter(Boolean).join(' — ');
      if (verdict) {
        // The staff are still waiting and are told "already used": refused, nothing to sync.
        next = { ...next, state: 'rejected', lastReason: `already_used · ${describe(outcome)}` };
      } else {
        // Accepted offline, so someone may have been let in on it: a conflict a supervisor must see.
        next = { ...next, state: 'needs_attention', lastReason: `used_elsewhere · ${describe(outcome)}` };
        verdict = { verdict: 'refused', reason: 'used_elsewhere', ...(words ? { douyinMessage: words } : {}) };
      }
    }
    repo.finishAttempt(
      row.id,
      {
        startedAt,
        finishedAt,
        outcome: `${at.label ?? ''}${outcome.kind === 'transient' ? `transient:${outcome.reason}` : outcome.kind}`,
        reached,
        errorCode: outcome.errorCode,
        httpStatus: outcome.httpStatus,
        logid: outcome.logid,
        message: next.lastReason ?? undefined,
      },
      next,
      stored && row.kind === 'trip' && (next.state === 'verified' || next.state === 'rejected')
        ? stringifyWithInt64(this.options.sealer.wipe(stored))
        : undefined,
      () => {
        // An undo's own item has no scan; what it changes is its certificates' undone_at.
        if (row.scan_id !== null) {
          if (verdict) answers.setVerdict({ scanId: row.scan_id, ...verdict });
          if (next.state === 'verified' && row.kind === 'coupon' && outcome.certificates?.length)
            answers.certificatesVerified(row.scan_id, outcome.certificates, finishedAt);
          if (next.state === 'verified' && row.kind === 'trip') answers.tripVerifyIds(row.scan_id, tripVerifyIds(outcome));
        }
        if (outcome.undone?.length) answers.certificatesUndone(row.id, outcome.undone, finishedAt);
      },
    );
    this.noteReached(reached, finishedAt, wasOffline);
    if (!reached) this.nextProbeAt = performance.now() + (next.nextAttemptAt - finishedAt);
    if (next.slowDown) limiter.slowDown();
    if (next.pauseQueue) this.setPaused(next.lastReason);
    const settled = { row, outcome, transition: next };
    this.options.onSettled?.(settled);
    return settled;
  }

  /** Douyin answered (or not): what waited only for the network is due again, and the health line knows. */
  private noteReached(reached: boolean, at: number, wasOffline = false): void {
    if (reached && wasOffline) this.options.repo.releaseOfflineWaits(at);
    if (reached) this.offlineStreak = 0;
    this.options.onReachability?.(reached, at);
  }

  private setPaused(reason: string | null): void {
    if (this.pausedReason === reason) return;
    // Support's first question when a gate says "nothing syncs": when did the queue stop, and why.
    if (reason === null) log.info('queue resumed');
    else log.warn(`queue paused: ${reason}`);
    this.pausedReason = reason;
    this.options.onPause?.(reason);
  }
}

/** What Douyin verified, with verify ids: a coupon's from its verifier, a trip ticket's from verify_results. */
/** A trip ticket's verify ids, which its slip (小票) prints. */
function tripVerifyIds(outcome: VerifyOutcome) {
  if (outcome.kind !== 'verified') return [];
  return outcome.verifyResults.flatMap((r) => (r.verify_id ? [{ verifyId: r.verify_id, certificateId: r.certificate_id }] : []));
}
