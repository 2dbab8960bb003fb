import type { Migration } from '../migrate';

/**
 * One row per repair of a damaged database file: what was done, what could not be carried over,
 * and which supervisor acknowledged it. The staff keep seeing the warning until then, across
 * restarts, so a damaged disk is never noticed by nobody.
 */
export const m0004DatabaseRecoveries: Migration = {
  version: 4,
  name: '0004_database_recoveries',
  up(db) {
    db.exec(`
      CREATE TABLE database_recoveries (
        id              INTEGER PRIMARY KEY,
        at              INTEGER NOT NULL,
        outcome         TEXT    NOT NULL CHECK (outcome IN ('reindexed','rebuilt','salvaged')),
        reason          TEXT    NOT NULL,
        moved_to        TEXT,
        carried         TEXT    NOT NULL,
        rows_lost       INTEGER NOT NULL CHECK (rows_lost IN (0,1)),
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      ) STRICT;
    `);
  },
};
