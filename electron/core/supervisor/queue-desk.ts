import { z } from 'zod';
import { maskedDisplay } from '../../../shared/domain/history';
import { QueueItem } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import { HANDLED_SQL, OPEN_STATES } from '../outbox/scan-outcome';

const Row = z
  .object({
    id: z.number().int(),
    scan_id: z.number().int(),
    state: z.enum(['queued', 'sending', 'needs_attention']),
    order_id: z.string(),
    credential_kind: z.string(),
    credential_display: z.string(),
    project_name: z.string().nullable(),
    created_at: z.number().int(),
    next_attempt_at: z.number().int(),
    tries: z.number().int(),
    last_reason: z.string().nullable(),
    last_logid: z.string().nullable(),
  })
  .transform((r): QueueItem => ({
    outboxId: r.id,
    scanId: r.scan_id,
    state: r.state,
    orderId: r.order_id,
    credentialDisplay: maskedDisplay(r.credential_kind, r.credential_display),
    projectName: r.project_name,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    tries: r.tries,
    lastReason: r.last_reason,
    lastLogid: r.last_logid,
  }));

/** How many open items the queue screen lists; older ones show once these are settled. */
const QUEUE_SCREEN_LIMIT = 500;

/**
 * What a supervisor does with the queue: see what waits and why, send an item again now, or
 * record that a person dealt with it. Nothing is deleted: a resolution is a row of its own.
 */
export class QueueDesk {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.stmts = {
      open: db.prepare(`SELECT o.id, o.scan_id, o.state, o.order_id, s.credential_kind, s.credential_display, s.project_name,
          o.created_at, o.next_attempt_at, o.tries, o.last_reason,
          (SELECT a.logid FROM attempts a WHERE a.outbox_id = o.id ORDER BY a.id DESC LIMIT 1) AS last_logid
        FROM outbox o JOIN scans s ON s.id = o.scan_id
        WHERE o.state IN ${OPEN_STATES} AND NOT ${HANDLED_SQL}
        ORDER BY o.created_at, o.id LIMIT ?`),
      // From the resolutions (a few, written by people), not from every item needing attention:
      // the health line asks after each scan, and 10,000 such items cost seconds with a cold cache.
      handledCount: db.prepare(
        `SELECT COUNT(*) AS n FROM (SELECT DISTINCT outbox_id FROM outbox_resolutions) r
          CROSS JOIN outbox o ON o.id = r.outbox_id WHERE ${HANDLED_SQL}`,
      ),
      retry: db.prepare(`UPDATE outbox SET state = 'queued', next_attempt_at = @now, updated_at = @now,
          tries = CASE WHEN state = 'needs_attention' THEN 0 ELSE tries END
        WHERE id = @id AND state IN ('queued','needs_attention')`),
      state: db.prepare(`SELECT state FROM outbox WHERE id = ?`),
      resolve: db.prepare(`INSERT INTO outbox_resolutions (outbox_id, at, actor, note) VALUES (?, ?, ?, ?)`),
    };
  }

  open(): QueueItem[] {
    return this.stmts.open.all(QUEUE_SCREEN_LIMIT).map((r) => Row.parse(r));
  }

  /** needs_attention items a person already handled: the staff's health line leaves them out. */
  handledCount(): number {
    return (this.stmts.handledCount.get() as { n: number }).n;
  }

  /**
   * Due now, with a fresh try budget if it had run out. The caller wakes (or resumes) the worker.
   * An item being sent or already settled is left alone: that is a conflict, not a retry.
   */
  retry(outboxId: number): void {
    if (this.stmts.retry.run({ id: outboxId, now: this.now() }).changes === 1) return;
    this.refuse(outboxId, 'cannot retry an item in this state');
  }

  markHandled(outboxId: number, note: string, actor: string): void {
    this.db.transaction(() => {
      const row = this.stmts.state.get(outboxId) as { state: string } | undefined;
      // A queued item is still going to be sent: "handled" would hide a live request.
      if (row?.state !== 'needs_attention') this.refuse(outboxId, 'only items needing attention can be marked handled');
      this.stmts.resolve.run(outboxId, this.now(), actor, note);
    })();
  }

  private refuse(outboxId: number, message: string): never {
    if (this.stmts.state.get(outboxId) === undefined) throw new RouteError('not_found', `no outbox item ${outboxId}`);
    throw new RouteError('conflict', message, 'sup.error.queueConflict');
  }
}
