import { OUTCOME_SQL, outcomeTriggersSql } from '../../outbox/scan-outcome';
import type { Migration } from '../migrate';

/**
 * Each scan keeps its outcome (OUTCOME_SQL) in a column with an (outcome, scanned_at) index, kept
 * current by triggers: history filters by outcome, and its pages and CSV export read it, without
 * working it out per row (see OUTCOME_COLUMN). Existing rows get it computed here once.
 */
export const m0007StoredOutcome: Migration = {
  version: 7,
  name: '0007_stored_outcome',
  up(db) {
    db.exec(`
      ALTER TABLE scans ADD COLUMN outcome TEXT;
      UPDATE scans SET outcome = (SELECT ${OUTCOME_SQL} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = scans.id);
      CREATE INDEX scans_outcome_at ON scans (outcome, scanned_at);
      ${outcomeTriggersSql()}
    `);
  },
};
