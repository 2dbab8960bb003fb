import { z } from 'zod';
import { Outcome } from '../../../shared/domain/history';
import { OUTCOME_COLUMN } from '../outbox/scan-outcome';

/**
 * The figures the shift report and the day view share, so that the two never disagree on what
 * an entry, a person admitted or a coupon's takings are. The outcome is the stored one
 * (OUTCOME_COLUMN, kept equal to OUTCOME_SQL by triggers), which spares the outbox join on the
 * day view's 50,000 rows. Alias `s` = scans.
 *
 * A coupon scan is one with `people` (how many certificates were chosen). A trip ticket lets its
 * visitor in when verified or accepted offline (pending); a coupon once Douyin verified it, or
 * while pending when it was admitted offline on the staff's count (setting offlineCoupons).
 * People admitted: a coupon's certificate count (the staff's count until it is prepared), one
 * per trip ticket. Takings: verified coupons' amounts in fen (an integer, so sums stay exact).
 * Accepted offline: the scan's reason still says so, or it became a conflict (only an offline
 * acceptance can: the worker rewrites its reason to used_elsewhere).
 */
export const FIGURE_GROUP_COLUMNS = `${OUTCOME_COLUMN} AS outcome, COALESCE(s.project_name, s.project_id, '') AS product,
  s.operator_no AS operator, (s.people IS NOT NULL) AS coupon, (s.reason IN ('offline_queued','coupon_offline_admitted','used_elsewhere')) AS offline`;
export const FIGURE_SUMS = `COUNT(*) AS n, SUM(COALESCE(s.people, 1)) AS people, SUM(COALESCE(s.amount_fen, 0)) AS amount_fen`;
/** Positions of the grouped columns above, for GROUP BY after any leading ones (an hour, say). */
export const figureGroupBy = (leading: number) => Array.from({ length: 5 }, (_, i) => i + 1 + leading).join(', ');

export const FigureRow = z.object({
  outcome: Outcome,
  product: z.string(),
  operator: z.string(),
  coupon: z.union([z.literal(0), z.literal(1)]),
  offline: z.union([z.literal(0), z.literal(1)]),
  n: z.number().int(),
  people: z.number().int(),
  amount_fen: z.number().int(),
});
export type FigureRow = z.infer<typeof FigureRow>;

export interface Tally {
  total: number;
  entries: number;
  verified: number;
  pending: number;
  people: number;
  amountFen: number;
}
const emptyTally = (): Tally => ({ total: 0, entries: 0, verified: 0, pending: 0, people: 0, amountFen: 0 });

/** What one group of rows adds: its entries, people admitted and takings. */
function tallyOf(row: FigureRow): Tally {
  const entered = row.outcome === 'verified' || (row.outcome === 'pending' && (row.coupon === 0 || row.offline === 1));
  return {
    total: row.n,
    entries: entered ? row.n : 0,
    verified: row.outcome === 'verified' ? row.n : 0,
    pending: row.outcome === 'pending' ? row.n : 0,
    people: entered ? row.people : 0,
    amountFen: row.coupon === 1 && row.outcome === 'verified' ? row.amount_fen : 0,
  };
}

function add(into: Tally, more: Tally): void {
  into.total += more.total;
  into.entries += more.entries;
  into.verified += more.verified;
  into.pending += more.pending;
  into.people += more.people;
  into.amountFen += more.amountFen;
}

export interface Figures {
  all: Tally;
  byOutcome: Record<Outcome, number>;
  /** Accepted offline at the window, and of those the ones Douyin has not answered yet. */
  offlineAccepted: number;
  offlineUnsynced: number;
  byProduct: Map<string, Tally>;
  byOperator: Map<string, Tally>;
}

/** Folds grouped rows; `each` sees every row with its tally (the day view adds hours). */
export function foldFigures<R extends FigureRow>(rows: readonly R[], each?: (row: R, tally: Tally) => void): Figures {
  const figures: Figures = {
    all: emptyTally(),
    byOutcome: Object.fromEntries(Outcome.options.map((o) => [o, 0])) as Record<Outcome, number>,
    offlineAccepted: 0,
    offlineUnsynced: 0,
    byProduct: new Map(),
    byOperator: new Map(),
  };
  for (const row of rows) {
    const tally = tallyOf(row);
    add(figures.all, tally);
    figures.byOutcome[row.outcome] += row.n;
    if (row.offline === 1) {
      figures.offlineAccepted += row.n;
      if (row.outcome === 'pending') figures.offlineUnsynced += row.n;
    }
    for (const [map, key] of [
      [figures.byProduct, row.product],
      [figures.byOperator, row.operator],
    ] as const) {
      const entry = map.get(key) ?? emptyTally();
      add(entry, tally);
      map.set(key, entry);
    }
    each?.(row, tally);
  }
  return figures;
}

/** A breakdown as a list, the largest first. */
export const ranked = (map: Map<string, Tally>) => [...map.entries()].sort((a, b) => b[1].total - a[1].total);
