import { z } from 'zod';
import type { DayView } from '../../../shared/domain/operators';
import type { Db } from '../db/connection';
import { FIGURE_GROUP_COLUMNS, FIGURE_SUMS, FigureRow, figureGroupBy, foldFigures, ranked } from './scan-figures';

const HOUR_MS = 3_600_000;
/** Beijing keeps UTC+8 all year (no summer time), so a business day is a fixed 24-hour span. */
const BEIJING_OFFSET = '+08:00';
const Row = FigureRow.extend({ hour: z.number().int() });
const OperatorName = z.object({ staff_no: z.string(), name: z.string() });

/**
 * The day view: one grouped query over the day's scans on the time index, with the shift report's
 * figures (scan-figures: the stored outcome, entries, people, takings), then folded into hours,
 * products and operators here.
 */
export class DayViewBook {
  private readonly grouped;
  private readonly names;

  constructor(db: Db) {
    this.grouped = db.prepare(`SELECT CAST((s.scanned_at - @start) / ${HOUR_MS} AS INTEGER) AS hour, ${FIGURE_GROUP_COLUMNS},
        ${FIGURE_SUMS}
      FROM scans s WHERE s.scanned_at >= @start AND s.scanned_at < @end GROUP BY 1, ${figureGroupBy(1)}`);
    this.names = db.prepare('SELECT staff_no, name FROM operators');
  }

  of(date: string): DayView {
    const start = Date.parse(`${date}T00:00:00${BEIJING_OFFSET}`);
    const rows = this.grouped.all({ start, end: start + 24 * HOUR_MS }).map((r) => Row.parse(r));
    const entriesByHour = Array.from({ length: 24 }, () => 0);
    const figures = foldFigures(rows, (row, tally) => {
      entriesByHour[row.hour]! += tally.entries;
    });
    const names = new Map(
      this.names
        .all()
        .map((r) => OperatorName.parse(r))
        .map((r) => [r.staff_no, r.name]),
    );
    const peak = Math.max(...entriesByHour);
    return {
      date,
      entriesByHour,
      peakHour: peak > 0 ? entriesByHour.indexOf(peak) : null,
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
