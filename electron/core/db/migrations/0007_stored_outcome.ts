import type { Migration } from '../migrate';

/*
 * Frozen copies of what scan-outcome.ts said when this migration was written: a migration must
 * do tomorrow exactly what it did the day it shipped, whatever the live definition becomes. A
 * later change of the outcome is a later migration that drops and recreates the triggers.
 */
const phaseOf = (outbox: string) => `(CASE WHEN ${outbox}.state IN ('queued','sending') THEN 'pending' ELSE ${outbox}.state END)`;
const OUTCOME = `CASE
  WHEN s.reason = 'used_elsewhere' THEN 'conflict'
  WHEN o.id IS NULL OR s.reason = 'already_used' THEN 'refused'
  ELSE ${phaseOf('o')} END`;
const storeOutcome = (scanId: string) =>
  `UPDATE scans SET outcome = (SELECT ${OUTCOME} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = ${scanId})
    WHERE id = ${scanId};`;
const trigger = (name: string, event: string, scanId: string) =>
  `CREATE TRIGGER ${name} AFTER ${event} BEGIN ${storeOutcome(scanId)} END;`;

/**
 * Each scan keeps its outcome (OUTCOME_SQL) in a column with an (outcome, scanned_at) index, kept
 * current by triggers: history filters by outcome, and its pages and CSV export read it, without
 * working it out per row (see OUTCOME_COLUMN). Existing rows get it computed here once. Claiming
 * and releasing an item (queued <-> sending) leaves its outcome alone and does not touch the scan.
 */
export const m0007StoredOutcome: Migration = {
  version: 7,
  name: '0007_stored_outcome',
  up(db) {
    db.exec(`
      ALTER TABLE scans ADD COLUMN outcome TEXT;
      UPDATE scans SET outcome = (SELECT ${OUTCOME} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = scans.id);
      CREATE INDEX scans_outcome_at ON scans (outcome, scanned_at);
      ${[
        trigger('scans_outcome_insert', 'INSERT ON scans', 'NEW.id'),
        trigger('scans_outcome_reason', 'UPDATE OF reason ON scans', 'NEW.id'),
        trigger('outbox_outcome_insert', 'INSERT ON outbox', 'NEW.scan_id'),
        trigger(
          'outbox_outcome_state',
          `UPDATE OF state ON outbox WHEN ${phaseOf('OLD')} IS NOT ${phaseOf('NEW')}`,
          'NEW.scan_id',
        ),
        trigger('outbox_outcome_delete', 'DELETE ON outbox', 'OLD.scan_id'),
      ].join('\n')}
    `);
  },
};
