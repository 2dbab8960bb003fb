/**
 * The site's voucher index (issue 17 item 7): one row per order as the latest load left it, the
 * order sealed (it holds ID numbers). Every change of a row — new, changed, removed — takes the
 * next number of `hub_voucher_seq`, so a window asks for what changed after the number it holds.
 * A removed order keeps its row (no content) so the removal reaches the windows too.
 */
export const migration0003 = {
  id: 3,
  name: 'vouchers',
  sql: `
    CREATE SEQUENCE hub_voucher_seq;
    CREATE TABLE hub_vouchers (
      order_id text PRIMARY KEY,
      seq bigint NOT NULL DEFAULT nextval('hub_voucher_seq'),
      digest text NOT NULL,
      sealed text,
      removed_at timestamptz,
      changed_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((sealed IS NULL) = (removed_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX hub_vouchers_seq ON hub_vouchers (seq);

    CREATE TABLE hub_voucher_loads (
      id bigserial PRIMARY KEY,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      orders int NOT NULL,
      changed int NOT NULL,
      removed int NOT NULL,
      through_seq bigint NOT NULL
    );

    -- Each window's pulls: where it asked from, for the admin page and to see a resumed pull.
    CREATE TABLE hub_voucher_pulls (
      window_id uuid NOT NULL REFERENCES windows(id),
      after_seq bigint NOT NULL,
      through_seq bigint NOT NULL,
      rows int NOT NULL,
      pulled_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX hub_voucher_pulls_window ON hub_voucher_pulls (window_id, pulled_at);
  `,
};
