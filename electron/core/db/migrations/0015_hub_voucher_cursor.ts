import type { Migration } from '../migrate';

/**
 * Where this window is in its hub's voucher changes (issue 17 item 7), per hub window id: a page
 * of changes and the cursor after it commit in one transaction, so a window killed mid-pull
 * resumes from the last page it holds. Pairing again (a new window id) starts from the beginning.
 */
export const m0015HubVoucherCursor: Migration = {
  version: 15,
  name: '0015_hub_voucher_cursor',
  up(db) {
    db.exec(`
      CREATE TABLE hub_voucher_cursor (
        hub_window_id TEXT PRIMARY KEY,
        cursor        INTEGER NOT NULL CHECK (cursor >= 0),
        pulled_at     INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
