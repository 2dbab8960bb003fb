import type { ScanAnswer, ScanSource, Verdict, VerdictReason } from '../../../shared/domain/scan';
import { maskIdNumber, parseScan, type ParsedScan } from '../../../shared/scan/parse';
import { businessDate } from '../../../shared/time';
import { stringifyWithInt64 } from '../douyin/int64-json';
import type { VerifyOutcome } from '../douyin/outcome';
import type { SiteClaims } from '../hub/site-claims';
import type { OutboxRepository, NewScan } from '../outbox/repository';
import type { Transition } from '../outbox/transition';
import type { OutboxWorker } from '../outbox/worker';
import type { SettingsStore } from '../settings/store';
import type { IdSealer } from '../secrets/id-sealer';
import type { CredentialKeyer } from '../vouchers/credential-key';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import { resolveFromIndex, type Resolution } from './resolve';
import { buildVerifyRequest, newVerifyToken } from './verify-request';

export interface ScanServiceDeps {
  repo: OutboxRepository;
  worker: OutboxWorker;
  settings: SettingsStore;
  index: VoucherIndexRepository;
  keyOf: CredentialKeyer;
  sealer: IdSealer;
  now: () => number;
  onRecorded?: (scanId: number) => void;
  /** With a paired site hub: the ticket is claimed there before this window uses it. */
  siteClaims?: SiteClaims;
}

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
  constructor(private readonly deps: ScanServiceDeps) {}

  async submit(raw: string, source: ScanSource): Promise<ScanAnswer> {
    const { now, settings } = this.deps;
    const at = now();
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
    const repeat = this.deps.repo.lastScanOf(presented.key, at - config.duplicateWindowSeconds * 1000, at);
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
      windowName: config.windowName,
      poiId: config.poiId ?? null,
    };
    if (!resolution) return this.refuse(base, 'not_found');
    if (resolution.visitDate !== null && resolution.visitDate > businessDate(at)) return this.refuse(base, 'too_early');
    const used = this.deps.repo.usedBefore(resolution.orderId, resolution.part?.projectId ?? null);
    if (used) return this.refuse(base, 'already_used', { previous: used });

    // The verify token doubles as the claim's scan id: unique per scan, and known before the scan is written.
    const verifyToken = newVerifyToken();
    const elsewhere = await this.deps.siteClaims?.claim(resolution, verifyToken);
    if (elsewhere) return this.refuse(base, 'already_used', { previous: elsewhere });

    return this.verify(base, resolution, at, verifyToken);
  }

  private async verify(
    base: Omit<NewScan, 'verdict' | 'reason'>,
    resolution: Resolution,
    at: number,
    verifyToken: string,
  ): Promise<ScanAnswer> {
    const { repo, worker, settings } = this.deps;
    const config = settings.get();
    const request = buildVerifyRequest(resolution, verifyToken, at, config.poiId);
    const sendNow = worker.canSendNow(resolution.orderId);
    // Written as "accepted offline" first: if Douyin does not answer in time, that is the answer.
    const { scanId, outboxId } = repo.recordScan(
      { ...base, verdict: 'offline', reason: 'offline_queued' },
      {
        orderId: resolution.orderId,
        verifyToken,
        verifyTime: Math.floor(at / 1000),
        request: stringifyWithInt64(this.deps.sealer.seal(request)),
        state: sendNow ? 'sending' : 'queued',
      },
    );
    this.deps.onRecorded?.(scanId);
    const offline = this.answer(base, scanId, 'offline', worker.paused ? 'configuration' : 'offline_queued');
    if (!sendNow || outboxId === null) {
      worker.wake();
      return offline;
    }
    const row = repo.get(outboxId);
    if (!row) return offline;

    let waiting = true;
    let decided: ScanAnswer | undefined;
    const settled = worker.sendClaimed(row, (outcome, next) => {
      if (!waiting) return undefined;
      waiting = false;
      const verdict = verdictOf(outcome, next);
      decided = this.answer(base, scanId, verdict.verdict, verdict.reason, verdict.douyinMessage);
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
    // Douyin said no: the ticket was not used here, so the site may use it again.
    if (decided?.verdict === 'refused') this.deps.siteClaims?.release(resolution, verifyToken);
    return decided ?? offline;
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

  private refuse(base: Omit<NewScan, 'verdict' | 'reason'>, reason: VerdictReason, extra: Partial<ScanAnswer> = {}): ScanAnswer {
    const { scanId } = this.deps.repo.recordScan({ ...base, verdict: 'refused', reason });
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
    const record = this.deps.repo.record(scanId);
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
