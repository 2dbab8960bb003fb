/**
 * The site's history (issue 17 item 5): each window's scans with what became of them, their
 * Douyin attempts, shifts and operators, as the window's history outbox sends them. `last_seq` is
 * each window's cursor: an entry at or below it was applied already, so a resent batch changes
 * nothing. Rows are keyed by the window and the window's own id.
 */
export const migration0002 = {
  id: 2,
  name: 'history',
  sql: `
    ALTER TABLE windows ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;
    ALTER TABLE windows ADD COLUMN last_push_at timestamptz;

    ALTER TABLE scans ADD COLUMN source text NOT NULL DEFAULT '';
    ALTER TABLE scans ADD COLUMN credential_kind text NOT NULL DEFAULT '';
    ALTER TABLE scans ADD COLUMN order_id text;
    ALTER TABLE scans ADD COLUMN project_id text;
    ALTER TABLE scans ADD COLUMN verdict text NOT NULL DEFAULT '';
    ALTER TABLE scans ADD COLUMN reason text NOT NULL DEFAULT '';
    ALTER TABLE scans ADD COLUMN site_claim text;
    ALTER TABLE scans ADD COLUMN shift_id bigint;
    ALTER TABLE scans ADD COLUMN people int;
    ALTER TABLE scans ADD COLUMN amount_fen bigint;
    ALTER TABLE scans ADD COLUMN queue_state text;
    ALTER TABLE scans ADD COLUMN tries int NOT NULL DEFAULT 0;
    ALTER TABLE scans ADD COLUMN last_reason text;
    ALTER TABLE scans ADD COLUMN seq bigint NOT NULL DEFAULT 0;
    ALTER TABLE scans ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    CREATE INDEX scans_window_outcome ON scans (window_id, outcome);

    CREATE TABLE scan_attempts (
      window_id uuid NOT NULL REFERENCES windows(id),
      attempt_id bigint NOT NULL,
      scan_id text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      outcome text NOT NULL,
      reached boolean NOT NULL,
      error_code int,
      http_status int,
      logid text,
      PRIMARY KEY (window_id, attempt_id)
    );
    CREATE INDEX scan_attempts_scan ON scan_attempts (window_id, scan_id);

    CREATE TABLE shifts (
      window_id uuid NOT NULL REFERENCES windows(id),
      shift_id bigint NOT NULL,
      operator_no text NOT NULL,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz,
      close_kind text,
      report jsonb,
      PRIMARY KEY (window_id, shift_id)
    );

    CREATE TABLE operators (
      window_id uuid NOT NULL REFERENCES windows(id),
      operator_id bigint NOT NULL,
      staff_no text NOT NULL,
      name text NOT NULL,
      role text NOT NULL,
      disabled boolean NOT NULL,
      PRIMARY KEY (window_id, operator_id)
    );
  `,
};
