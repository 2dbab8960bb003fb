import type { Migration } from '../migrate';

/**
 * Receipt printing (issue 16). `scan_verify_ids` keeps the verify_id Douyin returns for each
 * certificate of a trip verify (coupons keep theirs in coupon_certificates), written in the same
 * transaction as the attempt, so a slip printed now or reprinted later carries it. `print_jobs`
 * is the durable queue of slips: a slip asked for is on disk before the printer is tried, and
 * waits there, retried with backoff, while the printer is off or out of paper. A test slip has
 * no scan. Both go with their scan when the history's retention removes it.
 */
export const m0010Printing: Migration = {
  version: 10,
  name: '0010_printing',
  up(db) {
    db.exec(`
      CREATE TABLE scan_verify_ids (
        scan_id        INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        verify_id      TEXT    NOT NULL,
        certificate_id TEXT,
        PRIMARY KEY (scan_id, verify_id)
      ) STRICT;

      CREATE TABLE print_jobs (
        id              INTEGER PRIMARY KEY,
        scan_id         INTEGER REFERENCES scans (id) ON DELETE CASCADE,
        kind            TEXT    NOT NULL CHECK (kind IN ('auto','manual','test')),
        state           TEXT    NOT NULL CHECK (state IN ('queued','printed','discarded')),
        tries           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        requested_by    TEXT    NOT NULL DEFAULT '',
        created_at      INTEGER NOT NULL,
        printed_at      INTEGER
      ) STRICT;
      CREATE INDEX print_jobs_waiting ON print_jobs (state, id) WHERE state = 'queued';
      CREATE INDEX print_jobs_scan ON print_jobs (scan_id);
    `);
  },
};
