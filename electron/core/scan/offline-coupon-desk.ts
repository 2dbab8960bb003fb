import { createHash } from 'node:crypto';
import type { ScanAnswer, ScanRecord } from '../../../shared/domain/scan';
import { RouteError } from '../../../shared/ipc/result';
import type { SiteClaims } from '../hub/site-claims';
import type { OfflineCouponQuery } from '../outbox/offline-coupon-item';
import type { OutboxWorker } from '../outbox/worker';
import type { SettingsStore } from '../settings/store';
import type { ScanBase } from './coupon-path';
import type { OfflineCouponRepository } from './offline-coupon-repository';
import { newVerifyToken } from './verify-request';

export interface OfflineCouponDeskDeps {
  repo: OfflineCouponRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  now: () => number;
  poiId: () => string | undefined;
  /** The recorded scan as history shows it (ScanRepository's). */
  scanOf: (scanId: number) => ScanRecord | undefined;
  /** Records a scan that sends nothing and answers it (ScanService's refusal). */
  refuse: (base: ScanBase, reason: 'already_used', extra: Partial<ScanAnswer>) => ScanAnswer;
  onRecorded?: (scanId: number) => void;
  /** With a paired site hub: the coupon is claimed there before anyone enters on it. */
  siteClaims?: SiteClaims | undefined;
}

/**
 * What the site hub and this window's own check know a coupon by, before Douyin says which order
 * it is: the plain code, or (a QR) its data, hashed to a short fixed length. The same QR shown at
 * two windows (a screenshot passed on) is the same key.
 */
function offlineClaimKeyOf(query: OfflineCouponQuery): string {
  if ('code' in query) return `coupon:${query.code}`;
  const data = 'encrypted_data' in query ? query.encrypted_data : query.short_link;
  return `coupon:qr:${createHash('sha256').update(data).digest('hex').slice(0, 40)}`;
}

/**
 * A Douyin-code coupon scanned while Douyin cannot be reached, with the supervisor's
 * `offlineCoupons` set to admit (issue 13 item 4): the scan is recorded before the staff are
 * asked how many enter; their count admits the visitors and queues the coupon, in one commit, to
 * be prepared and verified (that many certificates, never more) once Douyin answers. A coupon
 * already admitted offline here, or claimed by another window at the site hub, is refused.
 */
export class OfflineCouponDesk {
  constructor(private readonly deps: OfflineCouponDeskDeps) {}

  /** Amber: recorded, not admitted yet; the count step follows. */
  ask(query: OfflineCouponQuery, base: ScanBase): ScanAnswer {
    const claimKey = offlineClaimKeyOf(query);
    const held = this.deps.repo.heldBy(claimKey);
    if (held) return this.deps.refuse(base, 'already_used', { previous: held });
    const scanId = this.deps.repo.recordAwaiting(
      { ...base, verdict: 'offline', reason: 'coupon_offline_count' },
      query,
      claimKey,
    );
    this.deps.onRecorded?.(scanId);
    return this.answer(scanId, base, 'coupon_offline_count');
  }

  /**
   * An online scan of a plain code. Until the verify of a coupon admitted offline (here, or at
   * another window of the site) reaches Douyin, Douyin's prepare still offers its certificates, so
   * its visitors could enter twice: when and where it was admitted, if it was. Only read at the
   * hub, never claimed: an online verify is Douyin's to judge. A code admitted offline elsewhere
   * stays held there until undone, so its remaining certificates are refused online too: the safe
   * side of a rare case.
   */
  async admittedOffline(code: string): Promise<{ at: number; windowName: string } | undefined> {
    const key = offlineClaimKeyOf({ code });
    return this.deps.repo.unverifiedBy(key) ?? (await this.deps.siteClaims?.holderOf(key));
  }

  /** The staff's count (digits, then Enter): claimed at the hub if there is one, then admitted and queued. */
  async admit(scanId: number, people: number): Promise<ScanAnswer> {
    const { repo, worker, now } = this.deps;
    const awaiting = repo.awaiting(scanId);
    const poiId = this.deps.poiId();
    if (!awaiting || !poiId) throw new RouteError('conflict', `scan ${scanId} is not awaiting a count`, 'scan.error.couponGone');
    // The claim's scan id, known before the item is written; Douyin's own token comes with the prepare.
    const token = newVerifyToken();
    const at = now();
    const claim = await this.deps.siteClaims?.claimKey(awaiting.claimKey, token);
    const shown = this.shown(scanId);
    if (claim?.kind === 'lost') {
      if (!repo.refuse(scanId, { reason: 'already_used' })) return this.gone(scanId);
      return {
        ...this.answer(scanId, shown, 'already_used'),
        verdict: 'refused',
        previous: { at: claim.at, windowName: claim.windowName },
      };
    }
    const siteClaim = claim === undefined ? undefined : claim.kind === 'claimed' ? 'claimed' : 'unclaimed';
    const outboxId = repo.admit(scanId, at, people, siteClaim, {
      // Unknown until Douyin's prepare names it: one of a kind, so no other order waits on it.
      orderId: `offline-coupon:${scanId}`,
      verifyToken: token,
      verifyTime: Math.floor(shown.at / 1000),
      request: JSON.stringify({ offline_prepare: awaiting.query, poi_id: poiId, people }),
      state: 'queued',
      kind: 'coupon',
    });
    if (outboxId === undefined) {
      if (claim?.kind === 'claimed') this.deps.siteClaims?.releaseKey(awaiting.claimKey, token);
      return this.gone(scanId);
    }
    worker.wake();
    this.deps.onRecorded?.(scanId);
    return { ...this.answer(scanId, shown, 'coupon_offline_admitted'), admit: true, people };
  }

  /** Esc at the count step: recorded as cancelled, nobody entered. */
  cancel(scanId: number): ScanAnswer {
    if (!this.deps.repo.refuse(scanId, { reason: 'coupon_cancelled' })) return this.gone(scanId);
    this.deps.onRecorded?.(scanId);
    return { ...this.answer(scanId, this.shown(scanId), 'coupon_cancelled'), verdict: 'refused' };
  }

  private shown(scanId: number): Pick<ScanBase, 'at' | 'credentialDisplay'> {
    const record = this.deps.scanOf(scanId);
    if (!record) throw new RouteError('conflict', `scan ${scanId} is gone`, 'scan.error.couponGone');
    return record;
  }

  private gone(scanId: number): never {
    throw new RouteError('conflict', `scan ${scanId} is not awaiting a count`, 'scan.error.couponGone');
  }

  private answer(
    scanId: number,
    base: Pick<ScanBase, 'at' | 'credentialDisplay'>,
    reason: 'coupon_offline_count' | 'coupon_offline_admitted' | 'coupon_cancelled' | 'already_used',
  ): ScanAnswer {
    return { scanId, verdict: 'offline', reason, admit: false, credentialDisplay: base.credentialDisplay, at: base.at };
  }
}
