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
/**
 * The raw columns the figures above derive from, to GROUP BY: finer groups than the figures (two
 * reasons of one outcome are two rows; the fold adds them up), in the order of the day view's
 * covering index `scans_figures` (migration 0013), so a day is aggregated as that index is walked,
 * without a sort.
 */
export const FIGURE_GROUP_BY = 's.outcome, s.project_name, s.project_id, s.operator_no, s.people, s.reason';
/** The hour a scan falls in, counted from the epoch: Beijing's hours start at UTC's (UTC+8). */
export const HOUR_OF_SCAN = 's.scanned_at / 3600000';
/** The Beijing clock hour (0–23) of a scan, for reports that span any period. */
export const BEIJING_HOUR_OF_SCAN = `((${HOUR_OF_SCAN} + 8) % 24)`;

const FigureRow = z.object({
  outcome: Outcome,
  product: z.string(),
  operator: z.string(),
  coupon: z.union([z.literal(0), z.literal(1)]),
  offline: z.union([z.literal(0), z.literal(1)]),
  n: z.number().int(),
  people: z.number().int(),
  amount_fen: z.number().int(),
});
type FigureRow = z.infer<typeof FigureRow>;

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

interface Figures {
  all: Tally;
  byOutcome: Record<Outcome, number>;
  /** Accepted offline at the window, and of those the ones Douyin has not answered yet. */
  offlineAccepted: number;
  offlineUnsynced: number;
  byProduct: Map<string, Tally>;
  byOperator: Map<string, Tally>;
}

/** A group of the figures within one hour (0–23 of the day or of the Beijing clock). */
export const HourRow = FigureRow.extend({ hour: z.number().int().min(0).max(23) });
export type HourRow = z.infer<typeof HourRow>;

export interface HourlyFigures extends Figures {
  /** Entries per hour, and the hour with the most (the earliest on a tie), null without any. */
  entriesByHour: number[];
  peakHour: number | null;
}

/** The figures with the hourly entries the charts draw, from rows grouped by hour too. */
export function foldHourly(rows: readonly HourRow[]): HourlyFigures {
  const entriesByHour = Array.from({ length: 24 }, () => 0);
  const figures = foldFigures(rows, (row, tally) => {
    entriesByHour[row.hour]! += tally.entries;
  });
  const peak = Math.max(...entriesByHour);
  return { ...figures, entriesByHour, peakHour: peak > 0 ? entriesByHour.indexOf(peak) : null };
}

/** Folds grouped rows; `each` sees every row with its tally. */
function foldFigures<R extends FigureRow>(rows: readonly R[], each?: (row: R, tally: Tally) => void): Figures {
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
