import type { ScanAnswer, ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import { maskIdNumber, parseScan, type ParsedScan } from '../../../shared/scan/parse';
import { businessDate } from '../../../shared/time';
import { stringifyWithInt64 } from '../douyin/int64-json';
import type { VerifyOutcome } from '../douyin/outcome';
import type { SiteClaims } from '../hub/site-claims';
import type { NewOutboxItem, OutboxRow } from '../outbox/repository';
import type { NewScan, ScanRepository } from './scan-repository';
import type { Transition } from '../outbox/transition';
import type { OutboxWorker } from '../outbox/worker';
import type { SettingsStore } from '../settings/store';
import type { IdSealer } from '../secrets/id-sealer';
import type { CredentialKeyer } from '../vouchers/credential-key';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import type { CouponClient } from '../douyin/coupon-client';
import { classifyCouponLink, type ShortLinkHost, type ShortLinkResolver } from '../douyin/short-link';
import type { CouponRepository } from './coupon-repository';
import { OfflineCouponDesk } from './offline-coupon-desk';
import type { OfflineCouponRepository } from './offline-coupon-repository';
import { CouponPath, type CouponInput, type ScanBase } from './coupon-path';
import { resolveFromIndex, type Resolution } from './resolve';
import { buildVerifyRequest, newVerifyToken } from './verify-request';

export interface ScanServiceDeps {
  scans: ScanRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  index: VoucherIndexRepository;
  keyOf: CredentialKeyer;
  sealer: IdSealer;
  now: () => number;
  onRecorded?: (scanId: number) => void;
  /** The staff's answer to a scan that made a request, as it is returned (the slip printer follows it). */
  onAnswered?: (answer: ScanAnswer) => void;
  /** Douyin-code coupons, through the platform of the moment (re-pointed on reconnect). */
  coupons: {
    client: () => CouponClient;
    shortLinks: () => ShortLinkResolver;
    /** The short-link origins a scanned QR may be resolved at; nothing else is ever contacted. */
    trustedHosts: () => readonly ShortLinkHost[];
    poiId: () => string | undefined;
    /** The merchant's 来客 account: with it, a code unknown to Douyin's prepare may be pre-imported. */
    accountId: () => string | undefined;
    repo: CouponRepository;
    /** Coupons scanned while Douyin is away, admitted on the staff's count (setting offlineCoupons). */
    offlineRepo: OfflineCouponRepository;
  };
  /** Who the scan is recorded for; throws (nothing is recorded) when a sign-in is needed first. */
  operatorOf?: () => { operatorNo: string; shiftId: number | null };
  /** With a paired site hub: the ticket is claimed there before this window uses it. */
  siteClaims?: SiteClaims;
}

type CouponTarget = { prepareId: number } | { scanId: number };

interface Presented {
  key: string;
  display: string;
  kind: string;
}

/**
 * The scan path: parse, find the order, apply the rules that need no network, write the scan and
 * its request durably, then give Douyin the answer budget to say yes or no. Whatever happens, the
 * staff get one of three answers within the budget, and it is on disk before they see it.
 */
export class ScanService {
  private readonly coupons: CouponPath;
  private readonly offlineCoupons: OfflineCouponDesk;

  constructor(private readonly deps: ScanServiceDeps) {
    this.offlineCoupons = new OfflineCouponDesk({
      repo: deps.coupons.offlineRepo,
      worker: deps.worker,
      settings: deps.settings,
      now: deps.now,
      poiId: deps.coupons.poiId,
      scanOf: (scanId) => deps.scans.get(scanId),
      refuse: (base, reason, extra) => this.refuse(base, reason, extra),
      ...(deps.onRecorded ? { onRecorded: deps.onRecorded } : {}),
      siteClaims: deps.siteClaims,
    });
    this.coupons = new CouponPath({
      offline: this.offlineCoupons,
      coupons: deps.coupons.client,
      shortLinks: deps.coupons.shortLinks,
      poiId: deps.coupons.poiId,
      couponRepo: deps.coupons.repo,
      worker: deps.worker,
      settings: deps.settings,
      now: deps.now,
      operatorOf: () => deps.operatorOf?.() ?? { operatorNo: '', shiftId: null },
      refuse: (base, reason, extra) => this.refuse(base, reason, extra),
      deliver: (base, recorded, item, extra) => this.deliver(base, recorded, item, extra),
      preImported: (code, base, signal) => this.preImported(code, base, signal),
    });
  }

  /** The count step: of a prepared coupon, or of one scanned while Douyin was away (its scan). */
  confirmCoupon(target: CouponTarget, count: number): Promise<ScanAnswer> {
    return 'prepareId' in target
      ? this.coupons.confirm(target.prepareId, count)
      : this.offlineCoupons.admit(target.scanId, count);
  }

  cancelCoupon(target: CouponTarget): ScanAnswer {
    return 'prepareId' in target ? this.coupons.cancel(target.prepareId) : this.offlineCoupons.cancel(target.scanId);
  }

  async submit(raw: string, source: ScanSource): Promise<ScanAnswer> {
    const { now, settings } = this.deps;
    const by = this.deps.operatorOf?.() ?? { operatorNo: '', shiftId: null };
    const at = now();
    const link = classifyCouponLink(raw, this.deps.coupons.trustedHosts());
    if (link.kind !== 'not_coupon_link') {
      const value = link.kind === 'short_link' ? link.url.href : link.encryptedData;
      const display = link.kind === 'short_link' ? `${link.url.host}${link.url.pathname}` : `object_id ${value.slice(0, 12)}…`;
      const input: CouponInput =
        link.kind === 'short_link' ? { kind: 'short_link', raw: value } : { kind: 'encrypted_data', value };
      return this.startCoupon(input, { kind: 'coupon_link', key: `link:${value}`, display }, source, at, by);
    }
    const parsed = parseScan(raw);
    if (parsed.kind === 'invalid' || parsed.kind === 'unsupported') {
      // Nothing was presented that could be a ticket: answer at once, keep no record of noise.
      return {
        scanId: null,
        verdict: 'refused',
        reason: parsed.kind === 'invalid' ? 'invalid_input' : 'unsupported',
        inputProblem: parsed.reason,
        admit: false,
        credentialDisplay: displayOfInvalid(raw, parsed),
        at,
      };
    }

    const presented = this.presented(parsed);
    const config = settings.get();
    const repeat = this.deps.scans.lastScanOf(presented.key, at - config.duplicateWindowSeconds * 1000, at);
    if (repeat) return this.repeatAnswer(repeat.id, presented, at);

    const resolution = this.resolve(parsed, presented, at);
    const base: Omit<NewScan, 'verdict' | 'reason'> = {
      at,
      source,
      credentialKind: presented.kind,
      credentialKey: presented.key,
      credentialDisplay: presented.display,
      orderId: resolution?.orderId ?? null,
      projectId: resolution?.part?.projectId ?? null,
      projectName: resolution?.part?.projectName ?? null,
      staff: config.staffName,
      operatorNo: by.operatorNo,
      shiftId: by.shiftId,
      windowName: config.windowName,
      poiId: config.poiId ?? null,
    };
    // A plain code the voucher index does not know may be Douyin's own: prepare asks Douyin.
    if (!resolution && parsed.kind === 'code') return this.coupons.start({ kind: 'code', value: parsed.code }, base);
    if (!resolution) return this.refuse(base, 'not_found');
    return this.verifyTrip(base, resolution);
  }

  /** A found trip order: the rules that need no network, the site claim, then the verify. */
  private async verifyTrip(base: ScanBase, resolution: Resolution): Promise<ScanAnswer> {
    const at = base.at;
    if (resolution.visitDate !== null && resolution.visitDate > businessDate(at)) return this.refuse(base, 'too_early');
    const used = this.deps.scans.usedBefore(resolution.orderId, resolution.part?.projectId ?? null);
    if (used) return this.refuse(base, 'already_used', { previous: used });

    // The verify token doubles as the claim's scan id: unique per scan, and known before the scan is written.
    const verifyToken = newVerifyToken();
    const claim = await this.deps.siteClaims?.claim(resolution, verifyToken);
    if (claim?.kind === 'lost') {
      return this.refuse(base, 'already_used', { previous: { at: claim.at, windowName: claim.windowName } });
    }
    const siteClaim = claim === undefined ? undefined : claim.kind === 'claimed' ? 'claimed' : 'unclaimed';
    return this.verify({ ...base, siteClaim }, resolution, at, verifyToken);
  }

  /**
   * A code neither the voucher index nor Douyin's prepare knows may be a pre-imported code
   * (预导码, ticket_rule.code_type 3): Douyin's bind_order_info names its trip order, which is
   * then verified whole like a typed order id. Without the account id, or when Douyin does not
   * know the code either, undefined: the caller answers "not found".
   */
  private async preImported(code: string, base: ScanBase, signal: AbortSignal): Promise<ScanAnswer | undefined> {
    const accountId = this.deps.coupons.accountId();
    if (!accountId) return undefined;
    const bound = await this.deps.coupons.client().bindOrderInfo({ account_id: accountId, code }, { signal });
    if (bound.kind !== 'ok') return undefined;
    const orderId = bound.data.orderId;
    const known = this.deps.index.orderInfo(orderId);
    const resolution: Resolution = {
      orderId,
      part: null,
      poiId: known?.multiStore ? known.poiId : null,
      visitDate: known?.visitDate ?? null,
      credential: { kind: 'code', value: code },
    };
    return this.verifyTrip({ ...base, orderId, projectId: null, projectName: null }, resolution);
  }

  private startCoupon(
    input: CouponInput,
    presented: Presented,
    source: ScanSource,
    at: number,
    by: { operatorNo: string; shiftId: number | null },
  ): Promise<ScanAnswer> | ScanAnswer {
    const config = this.deps.settings.get();
    const repeat = this.deps.scans.lastScanOf(presented.key, at - config.duplicateWindowSeconds * 1000, at);
    if (repeat) return this.repeatAnswer(repeat.id, presented, at);
    return this.coupons.start(input, {
      at,
      source,
      credentialKind: presented.kind,
      credentialKey: presented.key,
      credentialDisplay: presented.display,
      orderId: null,
      projectId: null,
      projectName: null,
      staff: config.staffName,
      windowName: config.windowName,
      poiId: config.poiId ?? null,
      ...by,
    });
  }

  private async verify(
    base: Omit<NewScan, 'verdict' | 'reason'>,
    resolution: Resolution,
    at: number,
    verifyToken: string,
  ): Promise<ScanAnswer> {
    const { scans, worker, settings } = this.deps;
    const config = settings.get();
    const request = buildVerifyRequest(resolution, verifyToken, at, config.poiId);
    const sendNow = worker.canSendNow(resolution.orderId);
    const item: NewOutboxItem = {
      orderId: resolution.orderId,
      verifyToken,
      verifyTime: Math.floor(at / 1000),
      request: stringifyWithInt64(this.deps.sealer.seal(request)),
      state: sendNow ? 'sending' : 'queued',
    };
    // Written as "accepted offline" first: if Douyin does not answer in time, that is the answer.
    const recorded = scans.record({ ...base, verdict: 'offline', reason: 'offline_queued' }, item);
    const answer = await this.deliver(base, recorded, item, {});
    // Douyin said no: the ticket was not used here, so the site may use it again.
    if (answer.verdict === 'refused') this.deps.siteClaims?.release(resolution, verifyToken);
    return answer;
  }

  /**
   * A scan and its request are on disk: send it now if the worker may, and give Douyin the
   * answer budget. Without Douyin's word in time the answer is the recorded one: offline for a
   * trip ticket (admitted by policy), "checking with Douyin" for a coupon (never admitted).
   */
  private async deliver(
    base: ScanBase,
    recorded: { scanId: number; outboxId: number | null },
    item: NewOutboxItem,
    extra: Partial<ScanAnswer>,
  ): Promise<ScanAnswer> {
    const { worker, settings } = this.deps;
    const config = settings.get();
    const { scanId, outboxId } = recorded;
    this.deps.onRecorded?.(scanId);
    const coupon = extra.coupon !== undefined;
    const waitingReason: VerdictReason = worker.paused ? 'configuration' : coupon ? 'coupon_checking' : 'offline_queued';
    const offline = { ...this.answer(base, scanId, 'offline', waitingReason), ...extra, ...(coupon ? { admit: false } : {}) };
    if (item.state !== 'sending' || outboxId === null) {
      worker.wake();
      this.deps.onAnswered?.(offline);
      return offline;
    }
    // The row just committed, as the worker reads it: no read back.
    const row: OutboxRow = {
      id: outboxId,
      scan_id: scanId,
      order_id: item.orderId,
      verify_token: item.verifyToken,
      verify_time: item.verifyTime,
      request: item.request,
      state: 'sending',
      tries: 0,
      next_attempt_at: base.at,
      kind: item.kind ?? 'trip',
    };

    let waiting = true;
    let decided: ScanAnswer | undefined;
    const settled = worker.sendClaimed(row, (outcome, next) => {
      if (!waiting) return undefined;
      waiting = false;
      const verdict = verdictOf(outcome, next);
      if (coupon && verdict.verdict === 'offline') return undefined;
      decided = { ...this.answer(base, scanId, verdict.verdict, verdict.reason, verdict.douyinMessage), ...extra };
      return verdict;
    });
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, config.answerBudgetMs);
    });
    await Promise.race([
      settled.then(
        () => undefined,
        () => undefined,
      ),
      budget,
    ]);
    clearTimeout(timer);
    waiting = false;
    const answer = decided ?? offline;
    this.deps.onAnswered?.(answer);
    return answer;
  }

  private presented(parsed: Exclude<ParsedScan, { kind: 'invalid' | 'unsupported' }>): Presented {
    const { keyOf } = this.deps;
    switch (parsed.kind) {
      case 'order_id':
        return { kind: 'order_id', key: keyOf('order_id', parsed.orderId), display: parsed.orderId };
      case 'id_card':
        return { kind: 'id_card', key: keyOf('id_card', parsed.idNumber), display: maskIdNumber(parsed.idNumber) };
      case 'code':
        return { kind: 'code', key: keyOf('code', parsed.code), display: parsed.code };
    }
  }

  private resolve(
    parsed: Exclude<ParsedScan, { kind: 'invalid' | 'unsupported' }>,
    presented: Presented,
    at: number,
  ): Resolution | undefined {
    if (parsed.kind === 'order_id') {
      // A raw Douyin order id needs no index: whole-order verify, Douyin checks the rest.
      const known = this.deps.index.orderInfo(parsed.orderId);
      return {
        orderId: parsed.orderId,
        part: null,
        poiId: known?.multiStore ? known.poiId : null,
        visitDate: known?.visitDate ?? null,
        credential: null,
      };
    }
    const value = parsed.kind === 'id_card' ? parsed.idNumber : parsed.code;
    return resolveFromIndex(this.deps.index, presented.key, { kind: parsed.kind, value }, at);
  }

  private refuse(base: ScanBase, reason: VerdictReason, extra: Partial<ScanAnswer> = {}): ScanAnswer {
    const { scanId } = this.deps.scans.record({ ...base, verdict: 'refused', reason });
    this.deps.onRecorded?.(scanId);
    return { ...this.answer(base, scanId, 'refused', reason), ...extra };
  }

  /**
   * The same credential again within the duplicate window: no new request, and never "admit".
   * The answer is what that scan is now on disk: refused if Douyin (or the window) refused it
   * since, otherwise a repeat, "just scanned at …, one entry only", so a ticket handed back over
   * the counter does not let a second person in.
   */
  private repeatAnswer(scanId: number, presented: Presented, at: number): ScanAnswer {
    const record = this.deps.scans.get(scanId);
    if (!record) throw new Error(`scan ${scanId} vanished`);
    const refusedNow = record.verdict === 'refused' || record.state === 'rejected';
    const reason: VerdictReason = refusedNow ? (record.state === 'rejected' ? 'douyin_rejected' : record.reason) : 'repeat_scan';
    return {
      scanId,
      verdict: refusedNow ? 'refused' : 'repeat',
      reason,
      repeated: true,
      admit: false,
      ...(refusedNow ? {} : { previous: { at: record.at, windowName: this.deps.settings.get().windowName } }),
      credentialDisplay: presented.display,
      ...(record.orderId ? { orderId: record.orderId } : {}),
      ...(record.projectName ? { projectName: record.projectName } : {}),
      at,
    };
  }

  private answer(
    base: Omit<NewScan, 'verdict' | 'reason'>,
    scanId: number,
    verdict: Verdict,
    reason: VerdictReason,
    douyinMessage?: string,
  ): ScanAnswer {
    return {
      scanId,
      verdict,
      reason,
      admit: this.admits(verdict),
      credentialDisplay: base.credentialDisplay,
      ...(base.orderId ? { orderId: base.orderId } : {}),
      ...(base.projectName ? { projectName: base.projectName } : {}),
      ...(douyinMessage ? { douyinMessage } : {}),
      at: base.at,
    };
  }

  private admits(verdict: Verdict): boolean {
    return verdict === 'verified' || (verdict === 'offline' && this.deps.settings.get().offlineAdmits);
  }
}

/** The staff's answer for the first attempt of a fresh scan. */
function verdictOf(
  outcome: VerifyOutcome,
  next: Transition,
): { verdict: Verdict; reason: VerdictReason; douyinMessage?: string } {
  switch (outcome.kind) {
    case 'verified':
      // On a scan's very first attempt, "already verified" means someone used it before us.
      return outcome.alreadyVerified
        ? { verdict: 'refused', reason: 'already_used', douyinMessage: words(outcome) }
        : { verdict: 'verified', reason: 'verified' };
    case 'rejected':
      if (next.state === 'rejected') return { verdict: 'refused', reason: 'douyin_rejected', douyinMessage: words(outcome) };
      return { verdict: 'offline', reason: 'offline_queued' };
    case 'configuration':
      return { verdict: 'offline', reason: 'configuration' };
    case 'invalid_request':
      return { verdict: 'offline', reason: 'needs_attention' };
    default:
      return { verdict: 'offline', reason: 'offline_queued' };
  }
}

function words(outcome: VerifyOutcome): string {
  return [outcome.description, outcome.subDescription].filter(Boolean).join(' — ');
}

function displayOfInvalid(raw: string, parsed: ParsedScan): string {
  // A mistyped ID number is still personal data: never echo it whole.
  const trimmed = raw.replace(/\p{Cc}/gu, '').trim();
  if (parsed.kind === 'invalid' && parsed.reason === 'id_checksum') return maskIdNumber(trimmed);
  return trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
}
