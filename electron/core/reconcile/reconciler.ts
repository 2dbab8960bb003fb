import type { Reconciliation, ReconciliationDifference } from '../../../shared/domain/reconciliation';
import { RouteError } from '../../../shared/ipc/result';
import { businessDate } from '../../../shared/time';
import type { CouponClient } from '../douyin/coupon-client';
import type { VerifyRecord } from '../douyin/coupon-schemas';
import { loggerFor } from '../log';
import type { LocalCertificate, ReconciliationRepository } from './reconciliation-repository';

const log = loggerFor('reconcile');

const DAY_MS = 86_400_000;
/**
 * Douyin's verify_time and the window's answer time of one verify differ by the request's
 * flight, and a verify at 23:59:59 may land on either side of midnight. Both sides are read this
 * much beyond the day for matching; only what lies inside the day can be a difference.
 */
const MARGIN_MS = 10 * 60_000;
/** 2,000 pages of 20: 40,000 verifies of one POI in a day, about 25 s at the client's pace. */
const MAX_PAGES = 2_000;

export interface ReconcilerDeps {
  repo: ReconciliationRepository;
  coupons: () => CouponClient;
  /** The merchant's 来客 account: the setting, else demo mode's own. */
  accountId: () => string | undefined;
  poiId: () => string | undefined;
  now: () => number;
}

/** Unix ms of 00:00 Beijing time on `day`. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

/**
 * ASSUMPTION: the verify_record page's sample shows no undone verify. The sandbox lists one with
 * status 2 and its cancel_time; either is read as undone.
 */
const undone = (r: VerifyRecord) => (r.cancel_time ?? 0) > 0 || r.status === 2;

/**
 * Compares Douyin's verify records (验券历史查询) of the window's POI and one Beijing day with the
 * window's own coupon verifies, and stores what differs. Read-only at Douyin; one run at a time.
 */
export class Reconciler {
  private running: Promise<Reconciliation> | null = null;
  private readonly closing = new AbortController();

  constructor(private readonly deps: ReconcilerDeps) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Throws a RouteError when it cannot start; a Douyin failure is stored and returned as a failed run. */
  run(day: string, trigger: Reconciliation['trigger'], actor: string | null = null): Promise<Reconciliation> {
    const accountId = this.deps.accountId();
    const poiId = this.deps.poiId();
    if (!accountId) throw new RouteError('conflict', 'no Douyin account id configured', 'reconcile.error.noAccount');
    if (!poiId) throw new RouteError('conflict', 'no POI configured', 'reconcile.error.noPoi');
    if (day > businessDate(this.deps.now()))
      throw new RouteError('bad_input', `${day} is in the future`, 'reconcile.error.future');
    if (this.running) throw new RouteError('conflict', 'a reconciliation is running', 'reconcile.error.running');
    const running = this.reconcile(day, trigger, actor, accountId, poiId).finally(() => {
      this.running = null;
    });
    this.running = running;
    return running;
  }

  /** At shutdown: a walk in progress stops at its next page and is stored as failed. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.running?.catch(() => undefined);
  }

  private async reconcile(
    day: string,
    trigger: Reconciliation['trigger'],
    actor: string | null,
    accountId: string,
    poiId: string,
  ): Promise<Reconciliation> {
    const { repo, now } = this.deps;
    const startedAt = now();
    const from = dayStartMs(day);
    const to = from + DAY_MS;
    const base = { day, poiId, trigger, actor, startedAt };
    const listed = await this.deps.coupons().listVerifyRecords(
      {
        account_id: accountId,
        poi_ids: [poiId],
        start_time: Math.floor((from - MARGIN_MS) / 1000),
        // Douyin refuses an end in the future; today's run reads up to now.
        end_time: Math.floor(Math.min(to + MARGIN_MS, startedAt) / 1000),
      },
      { maxPages: MAX_PAGES, signal: this.closing.signal },
    );
    const local = repo.localCertificates(from - MARGIN_MS, to + MARGIN_MS);
    const inDay = (ms: number) => ms >= from && ms < to;
    const localCount = local.filter((c) => inDay(c.at)).length;
    if (listed.kind !== 'ok') {
      const failure = 'description' in listed && listed.description ? listed.description : listed.kind;
      log.warn(`[reconcile] ${day} could not read Douyin's verify records: ${failure}`);
      return repo.save({
        ...base,
        finishedAt: now(),
        state: 'failed',
        douyinRecords: 0,
        localCertificates: localCount,
        pages: 0,
        failure,
        differences: [],
      });
    }
    const { records, pages, complete } = listed.data;
    const differences = compare(records, local, inDay);
    const saved = repo.save({
      ...base,
      finishedAt: now(),
      state: complete ? 'complete' : 'incomplete',
      douyinRecords: records.filter((r) => inDay(r.verify_time * 1000)).length,
      localCertificates: localCount,
      pages,
      failure: null,
      differences,
    });
    log.info(`[reconcile] ${day}: ${saved.douyinRecords} at Douyin, ${localCount} here, ${differences.length} differences`);
    return saved;
  }
}

function compare(
  records: readonly VerifyRecord[],
  local: readonly LocalCertificate[],
  inDay: (ms: number) => boolean,
): ReconciliationDifference[] {
  const localByVerifyId = new Map(local.filter((c) => c.verify_id !== null).map((c) => [c.verify_id!, c]));
  // A verify answered by a repeat without verify_id is still ours: it matches by certificate.
  const unnamedLocal = new Set(local.filter((c) => c.verify_id === null).map((c) => c.certificate_id));
  const douyinVerifyIds = new Set(records.map((r) => r.verify_id));
  const differences: ReconciliationDifference[] = [];

  for (const r of records) {
    const at = r.verify_time * 1000;
    const mine = localByVerifyId.get(r.verify_id);
    const fromDouyin = {
      certificateId: r.certificate_id,
      verifyId: r.verify_id,
      orderId: r.order_id ?? mine?.order_id ?? null,
      verifiedAt: at,
      cancelledAt: r.cancel_time ? r.cancel_time * 1000 : null,
      title: r.sku?.title ?? mine?.project_name ?? null,
      amountFen: r.amount?.pay_amount ?? r.amount?.original_amount ?? mine?.amount_fen ?? null,
      scanId: mine?.scan_id ?? null,
    };
    if (mine) {
      if (undone(r) && mine.undone_at === null) differences.push({ kind: 'undone_at_douyin', ...fromDouyin });
    } else if (inDay(at) && !undone(r) && !unnamedLocal.has(r.certificate_id)) {
      // Verified and undone elsewhere left nothing to settle: only a standing verify is listed.
      differences.push({ kind: 'douyin_only', ...fromDouyin });
    }
  }

  for (const c of local) {
    // Undone here and gone from Douyin's list agree; so does anything outside the day.
    if (c.verify_id === null || !inDay(c.at) || douyinVerifyIds.has(c.verify_id) || c.undone_at !== null) continue;
    differences.push({
      kind: 'local_only',
      certificateId: c.certificate_id,
      verifyId: c.verify_id,
      orderId: c.order_id,
      verifiedAt: c.at,
      cancelledAt: null,
      title: c.project_name,
      amountFen: c.amount_fen,
      scanId: c.scan_id,
    });
  }
  return differences;
}
