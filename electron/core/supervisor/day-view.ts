import { z } from 'zod';
import type { DayView } from '../../../shared/domain/operators';
import type { Db } from '../db/connection';
import { FIGURE_GROUP_BY, FIGURE_GROUP_COLUMNS, FIGURE_SUMS, HOUR_OF_SCAN, HourRow, foldHourly, ranked } from './scan-figures';

const HOUR_MS = 3_600_000;
/** Beijing keeps UTC+8 all year (no summer time), so a business day is a fixed 24-hour span. */
const BEIJING_OFFSET = '+08:00';
const OperatorName = z.object({ staff_no: z.string(), name: z.string() });

/**
 * A day's figures by hour (`@firstHour`: the day's first hour since the epoch). The range is on
 * the hour expression, not on scanned_at, so that it is the covering index's own (migration 0013):
 * one walk of the index, aggregated in its order.
 */
export const DAY_FIGURES_SQL = `SELECT ${HOUR_OF_SCAN} - @firstHour AS hour, ${FIGURE_GROUP_COLUMNS}, ${FIGURE_SUMS}
  FROM scans s WHERE ${HOUR_OF_SCAN} >= @firstHour AND ${HOUR_OF_SCAN} < @firstHour + 24
  GROUP BY ${HOUR_OF_SCAN}, ${FIGURE_GROUP_BY}`;

/**
 * The day view: one grouped query over the day's scans on the figures index, with the shift report's
 * figures (scan-figures: the stored outcome, entries, people, takings), then folded into hours,
 * products and operators here.
 */
export class DayViewBook {
  private readonly grouped;
  private readonly names;

  constructor(db: Db) {
    this.grouped = db.prepare(DAY_FIGURES_SQL);
    this.names = db.prepare('SELECT staff_no, name FROM operators');
  }

  of(date: string): DayView {
    const start = Date.parse(`${date}T00:00:00${BEIJING_OFFSET}`);
    const rows = this.grouped.all({ firstHour: start / HOUR_MS }).map((r) => HourRow.parse(r));
    const figures = foldHourly(rows);
    const names = new Map(
      this.names
        .all()
        .map((r) => OperatorName.parse(r))
        .map((r) => [r.staff_no, r.name]),
    );
    return {
      date,
      entriesByHour: figures.entriesByHour,
      peakHour: figures.peakHour,
      total: figures.all.total,
      byOutcome: figures.byOutcome,
      byProduct: ranked(figures.byProduct).map(([product, t]) => ({
        product,
        total: t.total,
        entries: t.entries,
        people: t.people,
        amountFen: t.amountFen,
      })),
      byOperator: ranked(figures.byOperator).map(([operatorNo, t]) => ({
        operatorNo,
        name: names.get(operatorNo) ?? '',
        total: t.total,
        entries: t.entries,
        people: t.people,
      })),
      people: figures.all.people,
      amountFen: figures.all.amountFen,
      offlineAccepted: figures.offlineAccepted,
      offlineUnsynced: figures.offlineUnsynced,
    };
  }
}
