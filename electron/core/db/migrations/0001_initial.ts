import type { Migration } from '../migrate';

/**
 * History *is* the scans plus the outbox plus its attempts: nothing here is ever deleted by the
 * scan path. A scan row is what the staff were shown; its outbox row is the request to Douyin.
 */
export const m0001Initial: Migration = {
  version: 1,
  name: '0001_initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE scans (
        id                 INTEGER PRIMARY KEY,
        scanned_at         INTEGER NOT NULL,
        source             TEXT    NOT NULL,
        credential_kind    TEXT    NOT NULL,
        credential_key     TEXT    NOT NULL,
        credential_display TEXT    NOT NULL,
        order_id           TEXT,
        project_id         TEXT,
        project_name       TEXT,
        verdict            TEXT    NOT NULL CHECK (verdict IN ('verified','offline','refused')),
        reason             TEXT    NOT NULL,
        douyin_message     TEXT,
        staff              TEXT    NOT NULL DEFAULT '',
        window_name        TEXT    NOT NULL DEFAULT '',
        poi_id             TEXT
      ) STRICT;
      CREATE INDEX scans_at ON scans (scanned_at);
      CREATE INDEX scans_credential ON scans (credential_key, scanned_at);
      CREATE INDEX scans_order ON scans (order_id);

      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        scan_id         INTEGER NOT NULL UNIQUE REFERENCES scans (id),
        order_id        TEXT    NOT NULL,
        verify_token    TEXT    NOT NULL UNIQUE,
        verify_time     INTEGER NOT NULL,
        request         TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('queued','sending','verified','rejected','needs_attention')),
        tries           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_reason     TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE INDEX outbox_order ON outbox (order_id, state);

      CREATE TABLE attempts (
        id          INTEGER PRIMARY KEY,
        outbox_id   INTEGER NOT NULL REFERENCES outbox (id),
        started_at  INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        outcome     TEXT    NOT NULL,
        reached     INTEGER NOT NULL CHECK (reached IN (0,1)),
        error_code  INTEGER,
        http_status INTEGER,
        logid       TEXT,
        message     TEXT
      ) STRICT;
      CREATE INDEX attempts_outbox ON attempts (outbox_id);
    `);
  },
};
