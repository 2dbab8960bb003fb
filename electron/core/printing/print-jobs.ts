import { z } from 'zod';
import type { Db } from '../db/connection';

export const PrintJobKind = z.enum(['auto', 'manual', 'test']);
export type PrintJobKind = z.infer<typeof PrintJobKind>;

export const PrintJob = z.object({
  id: z.number().int(),
  scan_id: z.number().int().nullable(),
  kind: PrintJobKind,
  tries: z.number().int(),
  next_attempt_at: z.number().int(),
  created_at: z.number().int(),
});
export type PrintJob = z.infer<typeof PrintJob>;

/** What a slip needs of its scan, read when it prints (a verify id that came later is on it). */
export interface ScanForSlip {
  at: number;
  windowName: string;
  product: string | null;
  people: number | null;
  operatorNo: string;
  orderId: string | null;
  verdict: string;
  verifyIds: string[];
}

/** The durable queue of slips (migration 0010): on disk before the printer is tried. */
export class PrintJobs {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO print_jobs (scan_id, kind, state, next_attempt_at, requested_by, created_at)
        VALUES (@scanId, @kind, 'queued', @at, @requestedBy, @at)`),
      next: db.prepare(`SELECT id, scan_id, kind, tries, next_attempt_at, created_at FROM print_jobs
        WHERE state = 'queued' AND (kind = 'test' OR @printing = 1) ORDER BY id LIMIT 1`),
      printed: db.prepare(`UPDATE print_jobs SET state = 'printed', printed_at = @at, tries = tries + 1, last_error = NULL
        WHERE id = @id AND state = 'queued'`),
      // A test slip has no history to belong to: once printed it is gone.
      dropTest: db.prepare(`DELETE FROM print_jobs WHERE id = ? AND kind = 'test'`),
      failed: db.prepare(`UPDATE print_jobs SET tries = tries + 1, next_attempt_at = @next, last_error = @error
        WHERE id = @id AND state = 'queued'`),
      discard: db.prepare(`UPDATE print_jobs SET state = 'discarded' WHERE state = 'queued'`),
      dueAll: db.prepare(`UPDATE print_jobs SET next_attempt_at = @now WHERE state = 'queued'`),
      waiting: db.prepare(`SELECT COUNT(*) AS n, MIN(next_attempt_at) AS next FROM print_jobs WHERE state = 'queued'`),
      lastPrinted: db.prepare(`SELECT MAX(printed_at) AS at FROM print_jobs WHERE state = 'printed'`),
      scan: db.prepare(`SELECT s.scanned_at, s.window_name, s.people, s.operator_no, s.order_id, s.verdict,
          COALESCE(s.project_name, (SELECT sku_title FROM coupon_prepares p WHERE p.scan_id = s.id LIMIT 1)) AS product
        FROM scans s WHERE s.id = ?`),
      verifyIds: db.prepare(`SELECT verify_id FROM scan_verify_ids WHERE scan_id = @id
        UNION SELECT verify_id FROM coupon_certificates WHERE scan_id = @id AND verify_id IS NOT NULL AND undone_at IS NULL
        ORDER BY verify_id`),
    };
  }

  add(scanId: number | null, kind: PrintJobKind, requestedBy: string, at: number): number {
    return Number(this.stmts.insert.run({ scanId, kind, requestedBy, at }).lastInsertRowid);
  }

  /** The oldest waiting slip; while printing is off only a supervisor's test slip goes. */
  next(printing: boolean): PrintJob | undefined {
    const row = this.stmts.next.get({ printing: printing ? 1 : 0 });
    return row === undefined ? undefined : PrintJob.parse(row);
  }

  printed(job: PrintJob, at: number): void {
    this.stmts.printed.run({ id: job.id, at });
    this.stmts.dropTest.run(job.id);
  }

  failed(id: number, error: string, next: number): void {
    this.stmts.failed.run({ id, error, next });
  }

  /** A supervisor's "clear the waiting slips": kept as discarded, not deleted. */
  discardWaiting(): number {
    return this.stmts.discard.run().changes;
  }

  /** A new setting or a test: whatever waits is tried now, not at its backoff time. */
  makeDue(now: number): void {
    this.stmts.dueAll.run({ now });
  }

  waiting(): { count: number; nextAttemptAt: number | null } {
    const row = this.stmts.waiting.get() as { n: number; next: number | null };
    return { count: row.n, nextAttemptAt: row.next };
  }

  lastPrintedAt(): number | null {
    return (this.stmts.lastPrinted.get() as { at: number | null }).at;
  }

  scan(scanId: number): ScanForSlip | undefined {
    const row = this.stmts.scan.get(scanId) as
      | {
          scanned_at: number;
          window_name: string;
          people: number | null;
          operator_no: string;
          order_id: string | null;
          verdict: string;
          product: string | null;
        }
      | undefined;
    if (!row) return undefined;
    const verifyIds = (this.stmts.verifyIds.all({ id: scanId }) as { verify_id: string }[]).map((r) => r.verify_id);
    return {
      at: row.scanned_at,
      windowName: row.window_name,
      product: row.product,
      // A trip ticket verifies one certificate per person: its verify ids count the people.
      people: row.people ?? (verifyIds.length > 0 ? verifyIds.length : null),
      operatorNo: row.operator_no,
      orderId: row.order_id,
      verdict: row.verdict,
      verifyIds,
    };
  }
}
