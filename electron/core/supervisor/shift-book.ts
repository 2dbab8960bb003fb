import { z } from 'zod';
import { ShiftReport } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import {
  BEIJING_HOUR_OF_SCAN,
  FIGURE_GROUP_BY,
  FIGURE_GROUP_COLUMNS,
  FIGURE_SUMS,
  HourRow,
  foldHourly,
  ranked,
} from './scan-figures';

const SHIFT_FIGURES = `SELECT ${BEIJING_HOUR_OF_SCAN} AS hour, ${FIGURE_GROUP_COLUMNS}, ${FIGURE_SUMS} FROM scans s`;
const BY_HOUR = `GROUP BY ${BEIJING_HOUR_OF_SCAN}, ${FIGURE_GROUP_BY}`;

const CloseRow = z.object({ id: z.number().int(), report: z.string() });

/**
 * Shifts: a shift runs from the last close (exclusive) to now (inclusive). Closing stores the
 * report as it was at that moment, so a reprint shows what was signed off, even after queued
 * items settle later.
 */
export class ShiftBook {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.stmts = {
      lastClose: db.prepare('SELECT id, closed_at FROM shift_closes ORDER BY id DESC LIMIT 1'),
      firstScanAfter: db.prepare('SELECT MIN(scanned_at) AS at FROM scans WHERE scanned_at > ?'),
      counts: db.prepare(`${SHIFT_FIGURES} WHERE s.scanned_at > @from AND s.scanned_at <= @to ${BY_HOUR}`),
      countsOfShift: db.prepare(`${SHIFT_FIGURES} WHERE s.shift_id = @shift ${BY_HOUR}`),
      insert: db.prepare(
        `INSERT INTO shift_closes (id, closed_at, from_at, actor, window_name, report) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      byId: db.prepare('SELECT id, report FROM shift_closes WHERE id = ?'),
      latest: db.prepare('SELECT id, report FROM shift_closes ORDER BY id DESC LIMIT 1'),
    };
  }

  current(place: { windowName: string; poiId: string | null }): ShiftReport {
    const last = this.stmts.lastClose.get() as { id: number; closed_at: number } | undefined;
    return this.report(last?.closed_at ?? -1, this.now(), place);
  }

  close(place: { windowName: string; poiId: string | null }, actor: string): ShiftReport {
    return this.db.transaction(() => {
      const last = this.stmts.lastClose.get() as { id: number; closed_at: number } | undefined;
      const to = Math.max(this.now(), last?.closed_at ?? 0);
      const report = this.report(last?.closed_at ?? -1, to, place);
      // Inside the write transaction nobody else can take the next id, so the stored report can name it.
      const closed = { ...report, closeId: (last?.id ?? 0) + 1 };
      this.stmts.insert.run(closed.closeId, to, report.from, actor, place.windowName, JSON.stringify(closed));
      return closed;
    })();
  }

  /** A stored close; without an id the latest one, or the open shift when none was ever closed. */
  printable(closeId: number | undefined, place: { windowName: string; poiId: string | null }): ShiftReport {
    const row = closeId === undefined ? this.stmts.latest.get() : this.stmts.byId.get(closeId);
    if (row === undefined) {
      if (closeId !== undefined) throw new RouteError('not_found', `no shift close ${closeId}`);
      return this.current(place);
    }
    return ShiftReport.parse(JSON.parse(CloseRow.parse(row).report));
  }

  /** The figures of one operator's shift (the scans it recorded), from its sign-in to `to`. */
  ofShift(
    shift: NonNullable<ShiftReport['shift']>,
    openedAt: number,
    to: number,
    place: { windowName: string; poiId: string | null },
  ): ShiftReport {
    const rows = this.stmts.countsOfShift.all({ shift: shift.id }).map((r) => HourRow.parse(r));
    return { ...this.figures(rows, openedAt, to, place), shift };
  }

  private report(fromExclusive: number, to: number, place: { windowName: string; poiId: string | null }): ShiftReport {
    const rows = this.stmts.counts.all({ from: fromExclusive, to }).map((r) => HourRow.parse(r));
    const firstScan = (this.stmts.firstScanAfter.get(fromExclusive) as { at: number | null }).at;
    return this.figures(rows, fromExclusive >= 0 ? fromExclusive : (firstScan ?? to), to, place);
  }

  private figures(rows: HourRow[], from: number, to: number, place: { windowName: string; poiId: string | null }): ShiftReport {
    const figures = foldHourly(rows);
    return {
      closeId: null,
      from,
      to,
      windowName: place.windowName,
      poiId: place.poiId,
      total: figures.all.total,
      byOutcome: figures.byOutcome,
      byProject: ranked(figures.byProduct).map(([project, t]) => ({
        project,
        total: t.total,
        verified: t.verified,
        pending: t.pending,
        people: t.people,
        amountFen: t.amountFen,
      })),
      people: figures.all.people,
      amountFen: figures.all.amountFen,
      offlineAccepted: figures.offlineAccepted,
      offlineUnsynced: figures.offlineUnsynced,
      entriesByHour: figures.entriesByHour,
      peakHour: figures.peakHour,
    };
  }
}
