/**
 * The fleet's updates (issue 17 item 8): releases as electron-builder made them (latest.yml and
 * the NSIS installer, kept in PostgreSQL in 1 MiB chunks so every hub process serves them), the
 * rollout groups each release is open to, each window's group, and what windows report back.
 */
export const migration0004 = {
  id: 4,
  name: 'releases',
  sql: `
    ALTER TABLE windows ADD COLUMN rollout_group text;

    CREATE TABLE releases (
      channel text NOT NULL,
      version text NOT NULL,
      latest_yml text NOT NULL,
      installer text NOT NULL,
      sha512 text NOT NULL,
      size bigint NOT NULL,
      release_date timestamptz NOT NULL,
      groups text[] NOT NULL DEFAULT '{}',
      uploaded_at timestamptz NOT NULL DEFAULT now(),
      -- The installer is stored and its sha512 and size matched latest.yml.
      complete boolean NOT NULL DEFAULT false,
      PRIMARY KEY (channel, version)
    );
    CREATE TABLE release_chunks (
      channel text NOT NULL,
      version text NOT NULL,
      n int NOT NULL,
      data bytea NOT NULL,
      PRIMARY KEY (channel, version, n),
      FOREIGN KEY (channel, version) REFERENCES releases (channel, version) ON DELETE CASCADE
    );

    CREATE TABLE update_reports (
      window_id uuid NOT NULL REFERENCES windows(id),
      reported_at timestamptz NOT NULL DEFAULT now(),
      event text NOT NULL,
      version text NOT NULL,
      other_version text,
      detail text
    );
    CREATE INDEX update_reports_window ON update_reports (window_id, event, version);
  `,
};
