import type { CouponSummary, ScanAnswer, ScanSource, VerdictReason } from '../../../shared/domain/scan';
import { RouteError } from '../../../shared/ipc/result';
import { certificateState } from '../douyin/coupon-answer';
import type { CouponClient } from '../douyin/coupon-client';
import type { CouponPrepareData } from '../douyin/coupon-schemas';
import { stringifyWithInt64 } from '../douyin/int64-json';
import type { ShortLinkResolver } from '../douyin/short-link';
import type { OfflineCouponQuery } from '../outbox/offline-coupon-item';
import type { NewOutboxItem } from '../outbox/repository';
import type { NewScan } from './scan-repository';
import type { OutboxWorker } from '../outbox/worker';
import type { SettingsStore } from '../settings/store';
import type { CouponRepository, NewPrepare } from './coupon-repository';
import type { OfflineCouponDesk } from './offline-coupon-desk';
import { certificatesOffered, type PreparedCertificate } from './prepared-certificates';

/** What was scanned: a short link to resolve, a long link's object_id, or a plain coupon code. */
export type CouponInput =
  { kind: 'short_link'; raw: string } | { kind: 'encrypted_data'; value: string } | { kind: 'code'; value: string };

export type ScanBase = Omit<NewScan, 'verdict' | 'reason'>;

export interface CouponPathDeps {
  coupons: () => CouponClient;
  shortLinks: () => ShortLinkResolver;
  /** The POI the window verifies for: the setting, else demo mode's own. */
  poiId: () => string | undefined;
  couponRepo: CouponRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  now: () => number;
  /** Who is signed in now: the confirm's scan is theirs. */
  operatorOf: () => { operatorNo: string; shiftId: number | null };
  /** Records a scan that sends nothing and answers it (ScanService's refusal). */
  refuse: (base: ScanBase, reason: VerdictReason, extra?: Partial<ScanAnswer>) => ScanAnswer;
  /** Douyin unreachable and the supervisor admits offline coupons: the count step (else the visitor waits). */
  offline?: OfflineCouponDesk;
  /** A code Douyin's prepare does not know, tried as a pre-imported trip code (ScanService's). */
  preImported: (code: string, base: ScanBase, signal: AbortSignal) => Promise<ScanAnswer | undefined>;
  /** Sends a just-recorded item within the answer budget (ScanService's delivery). */
  deliver: (
    base: ScanBase,
    recorded: { scanId: number; outboxId: number | null },
    item: NewOutboxItem,
    extra: Partial<ScanAnswer>,
  ) => Promise<ScanAnswer>;
}

/**
 * Douyin-code coupons at the window: resolve the QR's short link (only at a trusted host, never
 * following the redirect), prepare (read-only at Douyin), let the staff choose how many enter,
 * then verify through the outbox exactly like a trip ticket. Prepare needs Douyin: without it the
 * visitor is not admitted, and nothing is queued that could verify later behind their back.
 */
export class CouponPath {
  constructor(private readonly deps: CouponPathDeps) {}

  async start(input: CouponInput, base: ScanBase): Promise<ScanAnswer> {
    const { settings, refuse } = this.deps;
    const signal = AbortSignal.timeout(settings.get().answerBudgetMs);
    let query: { encrypted_data: string } | { code: string };
    if (input.kind === 'short_link') {
      const link = await this.deps.shortLinks().resolve(input.raw, { signal });
      if (link.kind === 'unreachable') return this.needsNetwork(base, { short_link: input.raw });
      if (link.kind !== 'resolved') return refuse(base, link.kind === 'not_allowed' ? 'unsupported' : 'coupon_link_invalid');
      query = { encrypted_data: link.encryptedData };
    } else {
      query = input.kind === 'code' ? { code: input.value } : { encrypted_data: input.value };
    }
    const poiId = this.deps.poiId();
    // Without a POI no coupon can be verified here: an unknown typed code is then at most a
    // pre-imported trip code (which needs no POI), else simply unknown.
    if (!poiId) {
      if (input.kind !== 'code') return refuse(base, 'configuration');
      return (await this.deps.preImported(input.value, base, signal)) ?? refuse(base, 'not_found');
    }
    // Beside the prepare: the hub's answer costs the scan no time of its own.
    const [prepared, admitted] = await Promise.all([
      this.deps.coupons().prepare({ ...query, poi_id: poiId }, { signal }),
      input.kind === 'code' ? this.deps.offline?.admittedOffline(input.value) : undefined,
    ]);
    if (prepared.kind === 'ok' && admitted) return refuse(base, 'already_used', { previous: admitted });
    return this.prepared(prepared, input, query, base, signal);
  }

  private async prepared(
    prepared: Awaited<ReturnType<CouponClient['prepare']>>,
    input: CouponInput,
    query: { encrypted_data: string } | { code: string },
    base: ScanBase,
    signal: AbortSignal,
  ): Promise<ScanAnswer> {
    const { refuse } = this.deps;
    switch (prepared.kind) {
      case 'ok':
        return this.offer(prepared.data, base);
      case 'rejected': {
        const words = [prepared.description, prepared.subDescription].filter(Boolean).join(' — ');
        if (input.kind === 'code') {
          // Not a coupon code: perhaps a pre-imported trip code; else "not found", as for a trip ticket.
          return (
            (await this.deps.preImported(input.value, base, signal)) ??
            refuse(base, 'not_found', words ? { douyinMessage: words } : {})
          );
        }
        return refuse(base, 'douyin_rejected', words ? { douyinMessage: words } : {});
      }
      case 'configuration':
      case 'invalid_request':
        return refuse(base, 'configuration');
      default:
        return this.needsNetwork(base, query);
    }
  }

  /** The staff's count (Enter = all, 1–9 = that many): record, then verify within the budget. */
  async confirm(prepareId: number, count: number): Promise<ScanAnswer> {
    const prepare = this.deps.couponRepo.awaiting(prepareId);
    if (!prepare)
      throw new RouteError('conflict', `coupon prepare ${prepareId} is not awaiting a count`, 'scan.error.couponGone');
    return this.verifyChosen(prepare, prepareId, count);
  }

  /**
   * Writes the scan, the verify request and the chosen certificates in one transaction (with the
   * prepare itself when it was never stored: one certificate verified at once costs one commit,
   * not two), then verifies within the budget.
   */
  private verifyChosen(prepare: Omit<NewPrepare, 'at'>, stored: number | NewPrepare, count: number): Promise<ScanAnswer> {
    const { couponRepo, worker, now } = this.deps;
    const poiId = this.deps.poiId();
    if (!poiId) throw new RouteError('conflict', 'no POI configured', 'scan.error.couponGone');
    const chosen = prepare.certificates.slice(0, Math.min(count, prepare.certificates.length));
    const at = now();
    const base = this.baseOf(prepare, at, chosen);
    const request = {
      verify_token: prepare.verifyToken,
      poi_id: poiId,
      encrypted_codes: chosen.map((c) => c.encryptedCode),
      order_id: prepare.orderId,
    };
    const item: NewOutboxItem = {
      orderId: prepare.orderId,
      verifyToken: prepare.verifyToken,
      verifyTime: Math.floor(at / 1000),
      request: stringifyWithInt64(request),
      state: worker.canSendNow(prepare.orderId) ? 'sending' : 'queued',
      kind: 'coupon',
    };
    const recorded = couponRepo.confirm(stored, { ...base, verdict: 'offline', reason: 'coupon_checking' }, item, chosen);
    if (!recorded)
      throw new RouteError('conflict', `coupon prepare ${String(stored)} was settled already`, 'scan.error.couponGone');
    return this.deps.deliver(base, recorded, item, { coupon: summaryOf(prepare.skuTitle, prepare.certificates, chosen) });
  }

  /** Esc at the confirm step: recorded as cancelled; nothing was verified. */
  cancel(prepareId: number): ScanAnswer {
    const { couponRepo, now } = this.deps;
    const prepare = couponRepo.awaiting(prepareId);
    if (!prepare)
      throw new RouteError('conflict', `coupon prepare ${prepareId} is not awaiting a count`, 'scan.error.couponGone');
    const at = now();
    const base = this.baseOf(prepare, at, []);
    const scanId = couponRepo.cancel(prepareId, { ...base, verdict: 'refused', reason: 'coupon_cancelled' });
    if (scanId === undefined)
      throw new RouteError('conflict', `coupon prepare ${prepareId} was settled already`, 'scan.error.couponGone');
    return {
      scanId,
      verdict: 'refused',
      reason: 'coupon_cancelled',
      admit: false,
      credentialDisplay: prepare.credentialDisplay,
      orderId: prepare.orderId,
      projectName: prepare.skuTitle,
      at,
    };
  }

  /**
   * Prepare lists only unused certificates: the status query tells used from refunded, so history
   * keeps them apart. Without its answer in time the refusal stays "used or refunded".
   */
  private async noneUnused(orderId: string, known: ScanBase, pendingHere: boolean): Promise<ScanAnswer> {
    if (pendingHere) return this.deps.refuse(known, 'coupon_none_unused');
    const signal = AbortSignal.timeout(this.deps.settings.get().answerBudgetMs);
    const status = await this.deps.coupons().queryCertificates({ order_id: orderId }, { signal });
    if (status.kind !== 'ok' || status.data.length === 0) return this.deps.refuse(known, 'coupon_none_unused');
    const states = status.data.map((c) => certificateState(c.status));
    if (states.every((state) => state === 'refund')) return this.deps.refuse(known, 'coupon_refunded');
    if (states.every((state) => state === 'used' || state === 'refund')) return this.deps.refuse(known, 'coupon_used');
    return this.deps.refuse(known, 'coupon_none_unused');
  }

  private offer(data: CouponPrepareData, base: ScanBase): ScanAnswer | Promise<ScanAnswer> {
    const pending = this.deps.couponRepo.pendingCertificates(data.order_id);
    const offered = certificatesOffered(data, pending, Math.floor(this.deps.now() / 1000));
    const { title, usable: certificates } = offered;
    const known = { ...base, orderId: data.order_id, projectName: title || null };
    if (offered.listed === 0) return this.noneUnused(data.order_id, known, pending.size > 0);
    if (certificates.length === 0)
      return this.deps.refuse(known, offered.notYetValid ? 'coupon_not_yet_valid' : 'coupon_expired');
    const prepare: NewPrepare = {
      at: base.at,
      source: base.source,
      credentialKind: base.credentialKind,
      credentialKey: base.credentialKey,
      credentialDisplay: base.credentialDisplay,
      orderId: data.order_id,
      verifyToken: data.verify_token,
      skuTitle: title,
      certificates,
    };
    if (certificates.length === 1 && this.deps.settings.get().couponVerifySingleAtOnce) {
      return this.verifyChosen(prepare, prepare, 1);
    }
    const prepareId = this.deps.couponRepo.addPrepare(prepare);
    return {
      scanId: null,
      verdict: 'confirm',
      reason: 'coupon_confirm',
      admit: false,
      credentialDisplay: base.credentialDisplay,
      orderId: data.order_id,
      ...(title ? { projectName: title } : {}),
      coupon: { ...summaryOf(title, certificates, certificates), prepareId },
      at: base.at,
    };
  }

  private needsNetwork(base: ScanBase, query: OfflineCouponQuery): ScanAnswer {
    const { offline, settings } = this.deps;
    if (offline && settings.get().offlineCoupons === 'admit' && this.deps.poiId()) return offline.ask(query, base);
    // Recorded, so the supervisor sees who waited; amber, and never admitted.
    return { ...this.deps.refuse(base, 'coupon_needs_network'), verdict: 'offline' };
  }

  private baseOf(
    prepare: {
      source: ScanSource;
      credentialKind: string;
      credentialKey: string;
      credentialDisplay: string;
      orderId: string;
      skuTitle: string;
    },
    at: number,
    chosen: readonly PreparedCertificate[],
  ): ScanBase {
    const config = this.deps.settings.get();
    return {
      at,
      source: prepare.source,
      credentialKind: prepare.credentialKind,
      credentialKey: prepare.credentialKey,
      credentialDisplay: prepare.credentialDisplay,
      orderId: prepare.orderId,
      projectId: null,
      projectName: prepare.skuTitle || null,
      staff: config.staffName,
      windowName: config.windowName,
      poiId: this.deps.poiId() ?? null,
      people: chosen.length,
      amountFen: chosen.reduce((sum, c) => sum + c.amountFen, 0),
      ...this.deps.operatorOf(),
    };
  }
}

function summaryOf(title: string, unused: readonly PreparedCertificate[], chosen: readonly PreparedCertificate[]): CouponSummary {
  const expiry = Math.min(...unused.map((c) => c.expireTime));
  return {
    title,
    unused: unused.length,
    people: chosen.length,
    amountsFen: chosen.map((c) => c.amountFen),
    ...(Number.isFinite(expiry) ? { validUntil: expiry * 1000 } : {}),
  };
}
