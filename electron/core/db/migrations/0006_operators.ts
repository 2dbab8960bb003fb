import type { Migration } from '../migrate';

/** The 工号 the migrated (or first-run) supervisor gets when none is given. */
export const FIRST_SUPERVISOR_NO = '0001';
const FIRST_SUPERVISOR_NAME = '主管';

/**
 * Operators (工号, name, role, PIN hash with its own lockout) and their shifts. The single
 * supervisor PIN of earlier versions becomes the first supervisor, hash, salt, scrypt parameters
 * and lockout state copied as they are, so the same PIN unlocks after the update. Every scan
 * records the operator who made it and the shift it belongs to.
 */
export const m0006Operators: Migration = {
  version: 6,
  name: '0006_operators',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id           INTEGER PRIMARY KEY,
        staff_no     TEXT    NOT NULL UNIQUE,
        name         TEXT    NOT NULL,
        role         TEXT    NOT NULL CHECK (role IN ('staff','supervisor')),
        hash         TEXT    NOT NULL,
        salt         TEXT    NOT NULL,
        params       TEXT    NOT NULL,
        failed       INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      ) STRICT;
      INSERT INTO operators (staff_no, name, role, hash, salt, params, failed, locked_until, created_at, updated_at)
        SELECT '${FIRST_SUPERVISOR_NO}', '${FIRST_SUPERVISOR_NAME}', 'supervisor', hash, salt, params, failed, locked_until,
               updated_at, updated_at
        FROM supervisor_pin;
      DROP TABLE supervisor_pin;

      CREATE TABLE shifts (
        id          INTEGER PRIMARY KEY,
        operator_id INTEGER NOT NULL REFERENCES operators (id),
        window_name TEXT    NOT NULL,
        opened_at   INTEGER NOT NULL,
        closed_at   INTEGER,
        close_kind  TEXT    CHECK (close_kind IN ('sign_out','handover','crash')),
        report      TEXT,
        CHECK ((closed_at IS NULL) = (close_kind IS NULL))
      ) STRICT;
      -- One window, one open shift: a second sign-in cannot open another beside it.
      CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL;

      ALTER TABLE scans ADD COLUMN operator_no TEXT NOT NULL DEFAULT '';
      ALTER TABLE scans ADD COLUMN shift_id INTEGER REFERENCES shifts (id);
      CREATE INDEX scans_shift ON scans (shift_id);
      CREATE INDEX scans_operator_at ON scans (operator_no, scanned_at);
    `);
  },
};
