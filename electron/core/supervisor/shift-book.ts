import { z } from 'zod';
import { Outcome } from '../../../shared/domain/history';
import { ShiftReport } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import { OUTCOME_SQL } from '../outbox/scan-outcome';

const CountRow = z.object({ outcome: Outcome, project: z.string(), n: z.number().int() });
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
      counts: db.prepare(`SELECT ${OUTCOME_SQL} AS outcome, COALESCE(s.project_name, s.project_id, '') AS project, COUNT(*) AS n
        FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id
        WHERE s.scanned_at > @from AND s.scanned_at <= @to GROUP BY 1, 2`),
      countsOfShift:
        db.prepare(`SELECT ${OUTCOME_SQL} AS outcome, COALESCE(s.project_name, s.project_id, '') AS project, COUNT(*) AS n
        FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id
        WHERE s.shift_id = @shift GROUP BY 1, 2`),
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
    const rows = this.stmts.countsOfShift.all({ shift: shift.id }).map((r) => CountRow.parse(r));
    return { ...this.figures(rows, openedAt, to, place), shift };
  }

  private report(fromExclusive: number, to: number, place: { windowName: string; poiId: string | null }): ShiftReport {
    const rows = this.stmts.counts.all({ from: fromExclusive, to }).map((r) => CountRow.parse(r));
    const firstScan = (this.stmts.firstScanAfter.get(fromExclusive) as { at: number | null }).at;
    return this.figures(rows, fromExclusive >= 0 ? fromExclusive : (firstScan ?? to), to, place);
  }

  private figures(
    rows: z.infer<typeof CountRow>[],
    from: number,
    to: number,
    place: { windowName: string; poiId: string | null },
  ): ShiftReport {
    const byOutcome = Object.fromEntries(Outcome.options.map((o) => [o, 0])) as Record<Outcome, number>;
    const projects = new Map<string, { project: string; total: number; verified: number; pending: number }>();
    for (const { outcome, project, n } of rows) {
      byOutcome[outcome] += n;
      const entry = projects.get(project) ?? { project, total: 0, verified: 0, pending: 0 };
      entry.total += n;
      if (outcome === 'verified') entry.verified += n;
      if (outcome === 'pending') entry.pending += n;
      projects.set(project, entry);
    }
    return {
      closeId: null,
      from,
      to,
      windowName: place.windowName,
      poiId: place.poiId,
      total: rows.reduce((sum, r) => sum + r.n, 0),
      byOutcome,
      byProject: [...projects.values()].sort((a, b) => b.total - a.total),
    };
  }
}
