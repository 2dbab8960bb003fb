import type { Migration } from '../migrate';

/**
 * Undo of a verified coupon (撤销核销) as an outbox item of its own kind, 'coupon_cancel', sent by
 * the same worker with the same retries. Such an item belongs to no scan of its own (scan_id is
 * NULL, so every `LEFT JOIN outbox o ON o.scan_id = s.id` still finds one row per scan);
 * coupon_undos ties it to the scan it undoes, with who asked and why. SQLite cannot change a
 * column's NOT NULL or a CHECK in place, so the outbox table is rebuilt: the rows are copied out,
 * the table dropped and created anew, the rows copied back. Foreign keys stay on and are deferred
 * to the commit, so the migration commits only if every attempt and resolution finds its item again.
 *
 * The stored outcome learns 'already_used', 'refunded' and 'undone': the triggers are recreated
 * from the frozen text below (OUTCOME_SQL as of this version) and every scan's outcome recomputed.
 */
const OUTCOME_0008 = `CASE
  WHEN s.reason = 'used_elsewhere' THEN 'conflict'
  WHEN s.reason IN ('already_used','coupon_used') THEN 'already_used'
  WHEN s.reason = 'coupon_refunded' THEN 'refunded'
  WHEN o.id IS NULL THEN 'refused'
  WHEN o.state = 'verified'
    AND EXISTS (SELECT 1 FROM coupon_certificates c WHERE c.scan_id = s.id AND c.undone_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM coupon_certificates c WHERE c.scan_id = s.id AND c.verified_at IS NOT NULL AND c.undone_at IS NULL)
    THEN 'undone'
  ELSE (CASE WHEN o.state IN ('queued','sending') THEN 'pending' ELSE o.state END) END`;

const phase = (row: string) => `(CASE WHEN ${row}.state IN ('queued','sending') THEN 'pending' ELSE ${row}.state END)`;
const store = (scanId: string) =>
  `UPDATE scans SET outcome = (SELECT ${OUTCOME_0008} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = ${scanId})
    WHERE id = ${scanId};`;
const trigger = (name: string, event: string, scanId: string) =>
  `CREATE TRIGGER ${name} AFTER ${event} BEGIN ${store(scanId)} END;`;

const COLUMNS = `id, scan_id, order_id, verify_token, verify_time, request, state, tries, next_attempt_at, last_reason,
  created_at, updated_at, kind`;

export const m0008CouponUndo: Migration = {
  version: 8,
  name: '0008_coupon_undo',
  up(db) {
    db.pragma('defer_foreign_keys = ON');
    db.exec(`
      DROP TRIGGER IF EXISTS scans_outcome_insert;
      DROP TRIGGER IF EXISTS scans_outcome_reason;
      DROP TRIGGER IF EXISTS outbox_outcome_insert;
      DROP TRIGGER IF EXISTS outbox_outcome_state;
      DROP TRIGGER IF EXISTS outbox_outcome_delete;
      DROP TRIGGER IF EXISTS coupon_certificates_outcome;

      CREATE TEMP TABLE outbox_0008 AS SELECT ${COLUMNS} FROM outbox;
      DROP TABLE outbox;
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        scan_id         INTEGER UNIQUE REFERENCES scans (id),
        order_id        TEXT    NOT NULL,
        verify_token    TEXT    NOT NULL UNIQUE,
        verify_time     INTEGER NOT NULL,
        request         TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('queued','sending','verified','rejected','needs_attention')),
        tries           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_reason     TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        kind            TEXT    NOT NULL DEFAULT 'trip' CHECK (kind IN ('trip','coupon','coupon_cancel')),
        CHECK ((scan_id IS NULL) = (kind = 'coupon_cancel'))
      ) STRICT;
      INSERT INTO outbox (${COLUMNS}) SELECT ${COLUMNS} FROM outbox_0008;
      DROP TABLE outbox_0008;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE INDEX outbox_order ON outbox (order_id, state);

      CREATE TABLE coupon_undos (
        outbox_id    INTEGER PRIMARY KEY REFERENCES outbox (id),
        scan_id      INTEGER NOT NULL REFERENCES scans (id),
        requested_at INTEGER NOT NULL,
        operator_no  TEXT    NOT NULL,
        reason       TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX coupon_undos_scan ON coupon_undos (scan_id);

      UPDATE scans SET outcome = (SELECT ${OUTCOME_0008} FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = scans.id);
      ${trigger('scans_outcome_insert', 'INSERT ON scans', 'NEW.id')}
      ${trigger('scans_outcome_reason', 'UPDATE OF reason ON scans', 'NEW.id')}
      ${trigger('outbox_outcome_insert', 'INSERT ON outbox WHEN NEW.scan_id IS NOT NULL', 'NEW.scan_id')}
      ${trigger('outbox_outcome_state', `UPDATE OF state ON outbox WHEN NEW.scan_id IS NOT NULL AND ${phase('OLD')} IS NOT ${phase('NEW')}`, 'NEW.scan_id')}
      ${trigger('outbox_outcome_delete', 'DELETE ON outbox WHEN OLD.scan_id IS NOT NULL', 'OLD.scan_id')}
      ${trigger('coupon_certificates_outcome', 'UPDATE OF verified_at, undone_at ON coupon_certificates', 'NEW.scan_id')}
    `);
  },
};
