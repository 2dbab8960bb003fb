import { z } from 'zod';
import { Reconciliation, ReconciliationDifference } from '../../../shared/domain/reconciliation';
import type { Db } from '../db/connection';

/** One certificate this window verified (or sent a verify for that Douyin answered verified). */
const LocalCertificate = z.object({
  scan_id: z.number().int(),
  certificate_id: z.string(),
  verify_id: z.string().nullable(),
  verified_at: z.number().int().nullable(),
  undone_at: z.number().int().nullable(),
  amount_fen: z.number().int(),
  order_id: z.string().nullable(),
  project_name: z.string().nullable(),
  /** When Douyin answered the verify (its scan's time where the window has no answer time). */
  at: z.number().int(),
});
export type LocalCertificate = z.infer<typeof LocalCertificate>;

const RunRow = z.object({
  id: z.number().int(),
  business_day: z.string(),
  poi_id: z.string(),
  trigger: z.enum(['supervisor', 'daily']),
  actor: z.string().nullable(),
  started_at: z.number().int(),
  finished_at: z.number().int(),
  state: z.enum(['complete', 'incomplete', 'failed']),
  douyin_records: z.number().int(),
  local_certificates: z.number().int(),
  pages: z.number().int(),
  failure: z.string().nullable(),
});

const DifferenceRow = z
  .object({
    kind: ReconciliationDifference.shape.kind,
    certificate_id: z.string(),
    verify_id: z.string().nullable(),
    order_id: z.string().nullable(),
    verified_at: z.number().int().nullable(),
    cancelled_at: z.number().int().nullable(),
    sku_title: z.string().nullable(),
    amount_fen: z.number().int().nullable(),
    scan_id: z.number().int().nullable(),
  })
  .transform((r): ReconciliationDifference => ({
    kind: r.kind,
    certificateId: r.certificate_id,
    verifyId: r.verify_id,
    orderId: r.order_id,
    verifiedAt: r.verified_at,
    cancelledAt: r.cancelled_at,
    title: r.sku_title,
    amountFen: r.amount_fen,
    scanId: r.scan_id,
  }));

export type NewReconciliation = Omit<Reconciliation, 'id'>;

/** Owns coupon_reconciliations and its differences (migration 0010); reads coupon_certificates. */
export class ReconciliationRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      // A verify counts here once Douyin answered it: with its verify_id, or (a repeat whose
      // status query failed) only as a verified coupon item, with no verify_id.
      local: db.prepare(`SELECT c.scan_id, c.certificate_id, c.verify_id, c.verified_at, c.undone_at, c.amount_fen,
          s.order_id, s.project_name, COALESCE(c.verified_at, s.scanned_at) AS at
        FROM coupon_certificates c JOIN scans s ON s.id = c.scan_id JOIN outbox o ON o.scan_id = c.scan_id
        WHERE o.kind = 'coupon' AND (c.verify_id IS NOT NULL OR o.state = 'verified')
          AND COALESCE(c.verified_at, s.scanned_at) >= @from AND COALESCE(c.verified_at, s.scanned_at) < @to`),
      insertRun: db.prepare(`INSERT INTO coupon_reconciliations (business_day, poi_id, trigger, actor, started_at,
          finished_at, state, douyin_records, local_certificates, pages, failure)
        VALUES (@day, @poiId, @trigger, @actor, @startedAt, @finishedAt, @state, @douyinRecords, @localCertificates,
          @pages, @failure)`),
      insertDifference: db.prepare(`INSERT INTO coupon_reconciliation_differences (reconciliation_id, kind,
          certificate_id, verify_id, order_id, verified_at, cancelled_at, sku_title, amount_fen, scan_id)
        VALUES (@runId, @kind, @certificateId, @verifyId, @orderId, @verifiedAt, @cancelledAt, @title, @amountFen,
          @scanId)`),
      run: db.prepare(`SELECT * FROM coupon_reconciliations WHERE id = ?`),
      last: db.prepare(`SELECT * FROM coupon_reconciliations ORDER BY finished_at DESC, id DESC LIMIT 1`),
      differences: db.prepare(`SELECT kind, certificate_id, verify_id, order_id, verified_at, cancelled_at, sku_title,
          amount_fen, scan_id FROM coupon_reconciliation_differences WHERE reconciliation_id = ?
        ORDER BY kind, verified_at, certificate_id`),
      completed: db.prepare(`SELECT 1 FROM coupon_reconciliations WHERE business_day = ? AND state = 'complete' LIMIT 1`),
      lastTry: db.prepare(`SELECT MAX(finished_at) AS at FROM coupon_reconciliations WHERE business_day = ? AND trigger = ?`),
    };
  }

  /** Coupon certificates Douyin answered as verified in [fromMs, toMs). */
  localCertificates(fromMs: number, toMs: number): LocalCertificate[] {
    return this.stmts.local.all({ from: fromMs, to: toMs }).map((r) => LocalCertificate.parse(r));
  }

  /** The run and its differences in one transaction: a result is stored whole or not at all. */
  save(run: NewReconciliation): Reconciliation {
    const id = this.db.transaction(() => {
      const runId = Number(this.stmts.insertRun.run(run).lastInsertRowid);
      for (const d of run.differences) this.stmts.insertDifference.run({ ...d, runId });
      return runId;
    })();
    return this.byId(id)!;
  }

  byId(id: number): Reconciliation | undefined {
    const row = this.stmts.run.get(id);
    return row === undefined ? undefined : this.withDifferences(RunRow.parse(row));
  }

  last(): Reconciliation | null {
    const row = this.stmts.last.get();
    return row === undefined ? null : this.withDifferences(RunRow.parse(row));
  }

  isComplete(day: string): boolean {
    return this.stmts.completed.get(day) !== undefined;
  }

  lastTryAt(day: string, trigger: Reconciliation['trigger']): number | null {
    return (this.stmts.lastTry.get(day, trigger) as { at: number | null }).at;
  }

  private withDifferences(r: z.infer<typeof RunRow>): Reconciliation {
    return Reconciliation.parse({
      id: r.id,
      day: r.business_day,
      poiId: r.poi_id,
      trigger: r.trigger,
      actor: r.actor,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      state: r.state,
      douyinRecords: r.douyin_records,
      localCertificates: r.local_certificates,
      pages: r.pages,
      failure: r.failure,
      differences: this.stmts.differences.all(r.id).map((d) => DifferenceRow.parse(d)),
    });
  }
}
