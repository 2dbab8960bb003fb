import { z } from 'zod';
import type { DayView } from '../../../shared/domain/operators';
import { Outcome } from '../../../shared/domain/history';
import type { Db } from '../db/connection';
import { OUTCOME_SQL } from '../outbox/scan-outcome';

const HOUR_MS = 3_600_000;
/** Beijing keeps UTC+8 all year (no summer time), so a business day is a fixed 24-hour span. */
const BEIJING_OFFSET = '+08:00';
const Row = z.object({
  hour: z.number().int(),
  outcome: Outcome,
  product: z.string(),
  operator: z.string(),
  n: z.number().int(),
});
/** Outcomes that let the visitor in: verified, or accepted offline and still to sync. */
const ENTRY: ReadonlySet<Outcome> = new Set(['verified', 'pending']);

/**
 * The day view: one grouped query over the day's scans on the time index, the outcome from the one
 * definition history uses (scan-outcome), then folded into hours, products and operators here.
 */
export class DayViewBook {
  private readonly grouped;

  constructor(db: Db) {
    this.grouped = db.prepare(`SELECT CAST((s.scanned_at - @start) / ${HOUR_MS} AS INTEGER) AS hour, ${OUTCOME_SQL} AS outcome,
        COALESCE(s.project_name, s.project_id, '') AS product, s.operator_no AS operator, COUNT(*) AS n
      FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id
      WHERE s.scanned_at >= @start AND s.scanned_at < @end GROUP BY 1, 2, 3, 4`);
  }

  of(date: string): DayView {
    const start = Date.parse(`${date}T00:00:00${BEIJING_OFFSET}`);
    const rows = this.grouped.all({ start, end: start + 24 * HOUR_MS }).map((r) => Row.parse(r));
    const entriesByHour = Array.from({ length: 24 }, () => 0);
    const byOutcome: Record<string, number> = Object.fromEntries(Outcome.options.map((o) => [o, 0]));
    const products = new Map<string, { product: string; total: number; entries: number }>();
    const operators = new Map<string, { operatorNo: string; total: number; entries: number }>();
    for (const row of rows) {
      const entries = ENTRY.has(row.outcome) ? row.n : 0;
      entriesByHour[row.hour]! += entries;
      byOutcome[row.outcome]! += row.n;
      const product = products.get(row.product) ?? { product: row.product, total: 0, entries: 0 };
      const operator = operators.get(row.operator) ?? { operatorNo: row.operator, total: 0, entries: 0 };
      for (const entry of [product, operator]) {
        entry.total += row.n;
        entry.entries += entries;
      }
      products.set(row.product, product);
      operators.set(row.operator, operator);
    }
    const peak = Math.max(...entriesByHour);
    return {
      date,
      entriesByHour,
      peakHour: peak > 0 ? entriesByHour.indexOf(peak) : null,
      total: rows.reduce((sum, r) => sum + r.n, 0),
      byOutcome,
      byProduct: [...products.values()].sort((a, b) => b.total - a.total),
      byOperator: [...operators.values()].sort((a, b) => b.total - a.total),
    };
  }
}
