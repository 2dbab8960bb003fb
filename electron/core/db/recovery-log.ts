import { z } from 'zod';
import { DatabaseRecoveryNotice } from '../../../shared/domain/status';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from './connection';
import type { Carried } from './salvage';

export interface DatabaseRecovery {
  outcome: DatabaseRecoveryNotice['outcome'];
  reason: string;
  movedTo: string | null;
  carried: Carried;
}

const SYSTEM_ACTOR = 'system';

const Row = z.object({
  id: z.number().int(),
  at: z.number().int(),
  outcome: DatabaseRecoveryNotice.shape.outcome,
  moved_to: z.string().nullable(),
  carried: z
    .string()
    .transform((text) => z.record(z.string(), z.object({ kept: z.number(), lost: z.boolean() })).parse(JSON.parse(text))),
});

/**
 * Repairs of the database file, kept in the repaired file itself. The newest one a supervisor has
 * not acknowledged is the warning on every screen; the acknowledgement is audited.
 */
export class RecoveryLog {
  /** Read with every status the core publishes (after scans too): prepared once. */
  private readonly pendingQuery;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.pendingQuery = db.prepare(
      'SELECT id, at, outcome, moved_to, carried FROM database_recoveries WHERE acknowledged_at IS NULL ORDER BY id DESC LIMIT 1',
    );
  }

  record(recovery: DatabaseRecovery): number {
    const at = this.now();
    const lost = Object.values(recovery.carried).some((t) => t.lost);
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO database_recoveries (at, outcome, reason, moved_to, carried, rows_lost) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(
          at,
          recovery.outcome,
          recovery.reason.slice(0, 1000),
          recovery.movedTo,
          JSON.stringify(recovery.carried),
          lost ? 1 : 0,
        );
      const kept = Object.entries(recovery.carried).map(([t, c]) => `${t} ${c.kept}${c.lost ? ' (some lost)' : ''}`);
      this.db
        .prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)')
        .run(
          at,
          SYSTEM_ACTOR,
          'database_recovered',
          `${recovery.outcome}: ${recovery.reason}; ${kept.join(', ')}`.slice(0, 1000),
        );
      return Number(lastInsertRowid);
    })();
  }

  pending(): DatabaseRecoveryNotice | null {
    const raw = this.pendingQuery.get();
    if (raw === undefined) return null;
    const row = Row.parse(raw);
    const lostTables = Object.entries(row.carried)
      .filter(([, c]) => c.lost)
      .map(([t]) => t);
    return { id: row.id, at: row.at, outcome: row.outcome, movedTo: row.moved_to, lostTables };
  }

  /** Acknowledges this repair and any older one still open: the supervisor saw the newest. */
  acknowledge(id: number, actor: string): void {
    const { changes } = this.db
      .prepare(
        `UPDATE database_recoveries SET acknowledged_at = ?, acknowledged_by = ? WHERE id <= ? AND acknowledged_at IS NULL
        AND EXISTS (SELECT 1 FROM database_recoveries WHERE id = ? AND acknowledged_at IS NULL)`,
      )
      .run(this.now(), actor, id, id);
    if (changes === 0) throw new RouteError('not_found', `no open database recovery ${id}`, 'sup.error.noRecovery');
  }
}
