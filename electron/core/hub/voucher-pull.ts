import type { Db } from '../db/connection';
import type { VoucherImporter } from '../vouchers/importer';
import type { VoucherIndexRepository } from '../vouchers/index-repository';
import type { HubClient } from './client';

/** Bounds one round; a first pull of a big site continues in the next round. */
const PAGES_PER_ROUND = 40;

/**
 * The window's copy of the site's voucher index: it asks the hub for the changes after the cursor
 * it holds, and applies each page — new and changed orders through the importer (the same keying
 * as a file loaded here), removed orders dropped — in one SQLite transaction with the new cursor.
 * A crash before the commit leaves the previous page and cursor; the page is asked for again.
 * When the hub is away the window scans against what it holds.
 */
export class VoucherPull {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly importer: VoucherImporter,
    private readonly index: VoucherIndexRepository,
    private readonly now: () => number,
  ) {
    this.stmts = {
      cursor: db.prepare(`SELECT cursor FROM hub_voucher_cursor WHERE hub_window_id = ?`),
      save: db.prepare(`INSERT INTO hub_voucher_cursor (hub_window_id, cursor, pulled_at) VALUES (?, ?, ?)
        ON CONFLICT (hub_window_id) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at`),
    };
  }

  cursor(windowId: string): number {
    return (this.stmts.cursor.get(windowId) as { cursor: number } | undefined)?.cursor ?? 0;
  }

  /** Pulls pages until the hub has no more (or the round's bound); true when more is waiting. */
  async pull(client: HubClient, windowId: string, stopped: () => boolean): Promise<boolean> {
    for (let n = 0; n < PAGES_PER_ROUND; n++) {
      if (stopped()) return false;
      const after = this.cursor(windowId);
      const page = await client.voucherChanges(after);
      if (page.cursor === after && page.changes.length === 0) return false;
      this.db.transaction(() => {
        // The hub holds one row per order, so a page names an order once.
        this.index.removeOrders(page.changes.filter((c) => c.order === null).map((c) => c.orderId));
        this.importer.importOrders(page.changes.flatMap((c) => (c.order === null ? [] : [c.order])));
        this.stmts.save.run(windowId, page.cursor, this.now());
      })();
      if (!page.more) return false;
    }
    return true;
  }
}
