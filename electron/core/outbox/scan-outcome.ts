import type { Outcome } from '../../../shared/domain/history';

/**
 * Every certificate this scan verified was undone (and at least one was): a partial undo leaves
 * the scan verified, with the undone count beside it in history.
 */
const UNDONE_SQL = `(EXISTS (SELECT 1 FROM coupon_certificates c WHERE c.scan_id = s.id AND c.undone_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM coupon_certificates c WHERE c.scan_id = s.id AND c.verified_at IS NOT NULL AND c.undone_at IS NULL))`;

/**
 * The one definition of what became of a scan, as history, its filters, the shift report and the
 * CSV all read it (aliases: `s` = scans, `o` = its outbox row, if any). What the window did
 * decides first: a scan the staff saw refused as already used is refused as already used, even
 * where the outbox row of an older version says verified; a ticket accepted offline that Douyin
 * had verified elsewhere is a conflict; a coupon Douyin lists as refunded is refunded. A verified
 * coupon whose every verified certificate was undone at Douyin (撤销核销) is undone. Kept in SQL so
 * that history pages never do this per row in code. Migration 0008 holds a frozen copy.
 */
export const OUTCOME_SQL = `CASE
  WHEN s.reason = 'used_elsewhere' THEN 'conflict'
  WHEN s.reason IN ('already_used','coupon_used') THEN 'already_used'
  WHEN s.reason = 'coupon_refunded' THEN 'refunded'
  WHEN o.id IS NULL THEN 'refused'
  WHEN o.state = 'verified' AND ${UNDONE_SQL} THEN 'undone'
  ELSE ${phaseOf('o')} END`;

/** What an outbox state means for the outcome: queued and sending are both still pending. */
function phaseOf(outbox: string): string {
  return `(CASE WHEN ${outbox}.state IN ('queued','sending') THEN 'pending' ELSE ${outbox}.state END)`;
}

/**
 * OUTCOME_SQL kept on the scan row itself (scans.outcome), so that a history filter on a rare
 * outcome walks the (outcome, scanned_at) index instead of testing every scan of the period:
 * "needs attention over 30 days" tested ~5,000 scans for one page of 50. Triggers recompute it
 * from OUTCOME_SQL whenever an input changes (the scan's reason, its outbox row's state, a coupon
 * certificate's verify or undo), in the same transaction, so the column is never older than what
 * it derives from.
 */
export const OUTCOME_COLUMN = 's.outcome';

export const OUTCOME_WHERE: Record<Outcome, string> = {
  conflict: `s.outcome = 'conflict'`,
  refused: `s.outcome = 'refused'`,
  pending: `s.outcome = 'pending'`,
  verified: `s.outcome = 'verified'`,
  rejected: `s.outcome = 'rejected'`,
  needs_attention: `s.outcome = 'needs_attention'`,
  already_used: `s.outcome = 'already_used'`,
  refunded: `s.outcome = 'refunded'`,
  undone: `s.outcome = 'undone'`,
};

/** Recomputes scans.outcome of the scan with id `scanId` (an SQL expression) from OUTCOME_SQL. */
export function storeOutcomeSql(scanId: string): string {
  return `UPDATE scans SET outcome = (SELECT ${OUTCOME_SQL} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = ${scanId})
    WHERE id = ${scanId};`;
}

/**
 * The triggers that keep scans.outcome equal to OUTCOME_SQL. A change to OUTCOME_SQL or to its
 * inputs needs a migration that drops and recreates them (this text) and recomputes the column.
 * Claiming and releasing an item (queued <-> sending) leaves its outcome alone and so does not
 * touch the scan row: the queue keeps draining even where a damaged page holds its scan.
 */
export function outcomeTriggersSql(): string {
  const on = (name: string, event: string, scanId: string) =>
    `CREATE TRIGGER ${name} AFTER ${event} BEGIN ${storeOutcomeSql(scanId)} END;`;
  return [
    on('scans_outcome_insert', 'INSERT ON scans', 'NEW.id'),
    on('scans_outcome_reason', 'UPDATE OF reason ON scans', 'NEW.id'),
    // An undo's own item (kind 'coupon_cancel') has no scan: its certificates' undone_at moves the outcome.
    on('outbox_outcome_insert', 'INSERT ON outbox WHEN NEW.scan_id IS NOT NULL', 'NEW.scan_id'),
    on(
      'outbox_outcome_state',
      `UPDATE OF state ON outbox WHEN NEW.scan_id IS NOT NULL AND ${phaseOf('OLD')} IS NOT ${phaseOf('NEW')}`,
      'NEW.scan_id',
    ),
    on('outbox_outcome_delete', 'DELETE ON outbox WHEN OLD.scan_id IS NOT NULL', 'OLD.scan_id'),
    on('coupon_certificates_outcome', 'UPDATE OF verified_at, undone_at ON coupon_certificates', 'NEW.scan_id'),
  ].join('\n');
}

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
