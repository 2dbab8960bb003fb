import type { Migration } from '../migrate';

/**
 * The staff's health line (queued, needs attention, oldest waiting) counted from an index of the
 * open items only: without it the count read every open row from the table, 47 ms warm and
 * seconds with a cold page cache for a 1,000,000-scan file with 40,000 open items, on the
 * event loop that answers the next scan. Partial, so it holds only what is still the queue's
 * business (the list is OPEN_STATES of outbox/scan-outcome.ts, frozen here).
 */
export const m0012OutboxOpenIndex: Migration = {
  version: 12,
  name: '0012_outbox_open_index',
  up(db) {
    db.exec(`CREATE INDEX outbox_open ON outbox (state, created_at) WHERE state IN ('queued','sending','needs_attention')`);
  },
};
