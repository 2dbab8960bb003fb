import type { Migration } from '../migrate';

/**
 * Supervisor mode: the PIN (a scrypt hash, with its lockout kept on disk so a restart does not
 * reset the count), an append-only audit log, resolutions of queue items a person handled
 * (nothing in the outbox is deleted or rewritten for it), shift closes, and the indexes that
 * keep the history screen and its prefix search fast at a million scans.
 */
export const m0003Supervisor: Migration = {
  version: 3,
  name: '0003_supervisor',
  up(db) {
    db.exec(`
      CREATE TABLE supervisor_pin (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        hash         TEXT    NOT NULL,
        salt         TEXT    NOT NULL,
        params       TEXT    NOT NULL,
        failed       INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        updated_at   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT    NOT NULL,
        action TEXT    NOT NULL,
        detail TEXT    NOT NULL DEFAULT ''
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE TABLE outbox_resolutions (
        id        INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        at        INTEGER NOT NULL,
        actor     TEXT    NOT NULL,
        note      TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX outbox_resolutions_item ON outbox_resolutions (outbox_id, at);

      CREATE TABLE shift_closes (
        id          INTEGER PRIMARY KEY,
        closed_at   INTEGER NOT NULL,
        from_at     INTEGER NOT NULL,
        actor       TEXT    NOT NULL,
        window_name TEXT    NOT NULL,
        report      TEXT    NOT NULL
      ) STRICT;

      -- Prefix search on ticket codes (order ids already have scans_order); ID numbers are stored
      -- masked, so the index holds nothing clear.
      CREATE INDEX scans_display ON scans (credential_display);
      CREATE INDEX scans_staff_at ON scans (staff, scanned_at);
      CREATE INDEX scans_project_at ON scans (project_id, scanned_at);
    `);
  },
};
