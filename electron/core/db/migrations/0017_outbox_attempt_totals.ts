import type { Migration } from '../migrate';

/**
 * Each outbox item keeps its attempts' count and their logids (space-separated, in attempt order)
 * beside it, for the CSV export (issue 14): computed per exported scan, the two subqueries over
 * `attempts` were a third of a 100k-row export's SQL time. A trigger keeps them, so no writer of
 * an attempt (the outbox, a restart's "interrupted" note, a seeder, a test) can forget to.
 * Attempts are only ever deleted with their item (retention, salvage), so there is no delete
 * trigger: the totals go with the item.
 */
/** Sets every item's totals from its attempts: the migration's backfill, and the bench seeder's after a bulk load. */
export const ATTEMPT_TOTALS_SQL = `UPDATE outbox SET
    attempt_count = (SELECT COUNT(*) FROM attempts a WHERE a.outbox_id = outbox.id),
    logids = (SELECT group_concat(logid, ' ') FROM (SELECT a.logid FROM attempts a WHERE a.outbox_id = outbox.id ORDER BY a.id))
  WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.outbox_id = outbox.id)`;

export const m0017OutboxAttemptTotals: Migration = {
  version: 17,
  name: '0017_outbox_attempt_totals',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN logids TEXT;
      ${ATTEMPT_TOTALS_SQL};
      CREATE TRIGGER attempts_totals AFTER INSERT ON attempts BEGIN
        UPDATE outbox SET
          attempt_count = attempt_count + 1,
          logids = CASE WHEN NEW.logid IS NULL THEN logids WHEN logids IS NULL THEN NEW.logid ELSE logids || ' ' || NEW.logid END
          WHERE id = NEW.outbox_id;
      END;
    `);
  },
};
