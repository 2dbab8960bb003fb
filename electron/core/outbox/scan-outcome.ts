import type { Outcome } from '../../../shared/domain/history';

/**
 * The one definition of what became of a scan, as history, its filters, the shift report and the
 * CSV all read it (aliases: `s` = scans, `o` = its outbox row, if any). What the window did
 * decides first: a scan the staff saw refused as already used is refused, even where the outbox
 * row of an older version says verified; a ticket accepted offline that Douyin had verified
 * elsewhere is a conflict. Kept in SQL so that history pages never do this per row in code.
 */
export const OUTCOME_SQL = `CASE
  WHEN s.reason = 'used_elsewhere' THEN 'conflict'
  WHEN o.id IS NULL OR s.reason = 'already_used' THEN 'refused'
  WHEN o.state IN ('queued','sending') THEN 'pending'
  ELSE o.state END`;

/**
 * The same rule as a filter. The unary + keeps SQLite off the outbox state index: starting from
 * 850k verified rows and sorting them costs 200 ms, walking the time index newest first stops
 * after one page.
 */
export const OUTCOME_WHERE: Record<Outcome, string> = {
  conflict: `s.reason = 'used_elsewhere'`,
  refused: `(o.id IS NULL OR s.reason = 'already_used')`,
  pending: `+o.state IN ('queued','sending') AND s.reason NOT IN ('used_elsewhere','already_used')`,
  verified: `+o.state = 'verified' AND s.reason NOT IN ('used_elsewhere','already_used')`,
  rejected: `+o.state = 'rejected' AND s.reason NOT IN ('used_elsewhere','already_used')`,
  needs_attention: `+o.state = 'needs_attention' AND s.reason NOT IN ('used_elsewhere','already_used')`,
};

/**
 * An attempt that may have reached Douyin: it answered, or the request went out and only the
 * answer was missing (a timeout, a body cut short, the app stopped while it was in flight). "Already verified" is our own success only
 * after such an attempt; otherwise the ticket was used elsewhere. A connection refused or reset
 * before any answer counts as not reached: if that is wrong, a supervisor sees a conflict, which
 * is the safe side of the mistake.
 */
/**
 * An item a supervisor marked handled: it needs attention, and its newest resolution is not older
 * than its last change (a retry after the note makes it live again). The queue desk hides these
 * and retention may forget them; a handled item that was retried is neither.
 */
export const HANDLED_SQL = `(o.state = 'needs_attention' AND EXISTS (SELECT 1 FROM outbox_resolutions r WHERE r.outbox_id = o.id AND r.at >= o.updated_at))`;

/** Finished: nothing more will be sent, so history retention may forget it after its time. */
export const PRUNABLE_SQL = `(o.id IS NULL OR o.state IN ('verified', 'rejected') OR ${HANDLED_SQL})`;

export const INTERRUPTED_OUTCOME = 'transient:interrupted';
export const MAY_HAVE_REACHED_SQL = `(reached = 1 OR outcome IN ('transient:timeout','transient:truncated_body','${INTERRUPTED_OUTCOME}'))`;
