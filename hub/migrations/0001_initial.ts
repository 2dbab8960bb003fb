/** Windows and their credentials, pairing codes, used nonces, the site token, claims, scans. */
export const migration0001 = {
  id: 1,
  name: 'initial',
  sql: `
    CREATE TABLE windows (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      secret text NOT NULL,
      version text,
      paired_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz,
      revoked_at timestamptz
    );
    CREATE TABLE pairing_codes (
      code_hash text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      window_id uuid REFERENCES windows(id)
    );
    -- A nonce is refused the second time by this key, whichever hub process sees it.
    CREATE TABLE used_nonces (
      window_id uuid NOT NULL REFERENCES windows(id),
      nonce text NOT NULL,
      seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (window_id, nonce)
    );
    CREATE INDEX used_nonces_seen_at ON used_nonces (seen_at);
    -- One row: the site's client_token, locked FOR UPDATE while one process refreshes it.
    CREATE TABLE site_token (
      id int PRIMARY KEY CHECK (id = 1),
      access_token text,
      expires_at timestamptz,
      fetched_at timestamptz
    );
    INSERT INTO site_token (id) VALUES (1);
    CREATE TABLE claims (
      ticket_key text PRIMARY KEY,
      window_id uuid NOT NULL REFERENCES windows(id),
      scan_id text NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE scans (
      window_id uuid NOT NULL REFERENCES windows(id),
      scan_id text NOT NULL,
      scanned_at timestamptz NOT NULL,
      outcome text NOT NULL,
      masked_code text NOT NULL,
      product text,
      operator text,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (window_id, scan_id)
    );
    CREATE INDEX scans_scanned_at ON scans (scanned_at);
  `,
};
