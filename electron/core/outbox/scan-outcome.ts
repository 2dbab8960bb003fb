import type { Outcome } from '../../../shared/domain/history';

/*
 * The outbox's states as SQL lists, for `state IN …`: the one place that says which states are
 * which, used by the queue, the queue desk, retention, history and the coupon and key-loss checks.
 */
/** Not answered yet: waiting its turn, or in flight. */
export const PENDING_STATES = `('queued','sending')`;
/** Still the queue's business: pending, or set aside for a supervisor. */
export const OPEN_STATES = `('queued','sending','needs_attention')`;
/** Holds its ticket: the already-used rule refuses a second scan of it. */
export const HOLDS_TICKET_STATES = `('queued','sending','verified')`;
/** Finished by Douyin's answer. */
const ANSWERED_STATES = `('verified','rejected')`;

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
  return `(CASE WHEN ${outbox}.state IN ${PENDING_STATES} THEN 'pending' ELSE ${outbox}.state END)`;
}

/**
 * OUTCOME_SQL kept on the scan row itself (scans.outcome), so that a history filter on a rare
 * outcome walks the (outcome, scanned_at) index instead of testing every scan of the period:
 * "needs attention over 30 days" tested ~5,000 scans for one page of 50. Triggers recompute it
 * from OUTCOME_SQL whenever an input changes (the scan's reason, its outbox row's state, a coupon
 * certificate's verify or undo), in the same transaction, so the column is never older than what
 * it derives from. The triggers are the migrations' own frozen copies (0007, then 0008):
 * changing OUTCOME_SQL or its inputs needs a migration that drops and recreates them and
 * recomputes the column.
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

/**
 * An item a supervisor marked handled: it needs attention, and its newest resolution is not older
 * than its last change (a retry after the note makes it live again). The queue desk hides these
 * and retention may forget them; a handled item that was retried is neither.
 */
export const HANDLED_SQL = `(o.state = 'needs_attention' AND EXISTS (SELECT 1 FROM outbox_resolutions r WHERE r.outbox_id = o.id AND r.at >= o.updated_at))`;

/** Finished: nothing more will be sent, so history retention may forget it after its time. */
export const PRUNABLE_SQL = `(o.id IS NULL OR o.state IN ${ANSWERED_STATES} OR ${HANDLED_SQL})`;

export const INTERRUPTED_OUTCOME = 'transient:interrupted';
/**
 * An attempt that may have reached Douyin: it answered, or the request went out and only the
 * answer was missing (a timeout, a body cut short, the app stopped while it was in flight). "Already verified" is our own success only
 * after such an attempt; otherwise the ticket was used elsewhere. A connection refused or reset
 * before any answer counts as not reached: if that is wrong, a supervisor sees a conflict, which
 * is the safe side of the mistake.
 */
export const MAY_HAVE_REACHED_SQL = `(reached = 1 OR outcome IN ('transient:timeout','transient:truncated_body','${INTERRUPTED_OUTCOME}'))`;
