import { z } from 'zod';
import type { Db } from '../db/connection';

export interface IndexedCredential {
  lookupKey: string;
  orderId: string;
  projectId: string;
  projectName: string | null;
  kind: string;
  isEntrance: boolean;
}

export interface IndexedOrder {
  orderId: string;
  poiId: string | null;
  multiStore: boolean;
  visitDate: string;
  /** The order line as imported (JSON), to notice a re-import that changed it. */
  content: string;
}

export const Candidate = z
  .object({
    order_id: z.string(),
    project_id: z.string(),
    project_name: z.string().nullable(),
    kind: z.string(),
    is_entrance: z.number().int(),
    poi_id: z.string().nullable(),
    multi_store: z.number().int(),
    visit_date: z.string(),
  })
  .transform((r) => ({
    orderId: r.order_id,
    projectId: r.project_id,
    projectName: r.project_name,
    kind: r.kind,
    isEntrance: r.is_entrance === 1,
    poiId: r.poi_id,
    multiStore: r.multi_store === 1,
    visitDate: r.visit_date,
  }));
export type Candidate = z.infer<typeof Candidate>;

const OrderInfoRow = z.object({ poi_id: z.string().nullable(), multi_store: z.number().int(), visit_date: z.string() });

/** The code → order index in SQLite. */
export class VoucherIndexRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      lookup: db.prepare(`SELECT c.order_id, c.project_id, c.project_name, c.kind, c.is_entrance,
          o.poi_id, o.multi_store, o.visit_date
        FROM voucher_credentials c JOIN voucher_orders o ON o.order_id = c.order_id
        WHERE c.lookup_key = ? ORDER BY o.visit_date, c.order_id LIMIT 50`),
      order: db.prepare(`SELECT content FROM voucher_orders WHERE order_id = ?`),
      orderInfo: db.prepare(`SELECT poi_id, multi_store, visit_date FROM voucher_orders WHERE order_id = ?`),
      upsertOrder: db.prepare(`INSERT INTO voucher_orders (order_id, poi_id, multi_store, visit_date, content, imported_at)
        VALUES (@orderId, @poiId, @multiStore, @visitDate, @content, @at)
        ON CONFLICT (order_id) DO UPDATE SET poi_id = excluded.poi_id, multi_store = excluded.multi_store,
          visit_date = excluded.visit_date, content = excluded.content, imported_at = excluded.imported_at`),
      dropCredentials: db.prepare(`DELETE FROM voucher_credentials WHERE order_id = ?`),
      insertCredential: db.prepare(`INSERT OR IGNORE INTO voucher_credentials
        (lookup_key, order_id, project_id, project_name, kind, is_entrance)
        VALUES (@lookupKey, @orderId, @projectId, @projectName, @kind, @isEntrance)`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM voucher_orders`),
      dropOrder: db.prepare(`DELETE FROM voucher_orders WHERE order_id = ?`),
    };
  }

  lookup(lookupKey: string): Candidate[] {
    return this.stmts.lookup.all(lookupKey).map((r) => Candidate.parse(r));
  }

  /** What the index knows of an order scanned by its raw id (visit date, store), if anything. */
  orderInfo(orderId: string): { poiId: string | null; multiStore: boolean; visitDate: string } | undefined {
    const row = this.stmts.orderInfo.get(orderId);
    if (row === undefined) return undefined;
    const r = OrderInfoRow.parse(row);
    return { poiId: r.poi_id, multiStore: r.multi_store === 1, visitDate: r.visit_date };
  }

  /**
   * Writes a whole import in one transaction. An order whose content is unchanged is left as it
   * is, so re-importing the same file changes nothing. Returns how many orders were new or changed.
   */
  replaceOrders(entries: { order: IndexedOrder; credentials: IndexedCredential[] }[], at: number): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const { order, credentials } of entries) {
        const existing = this.stmts.order.get(order.orderId) as { content: string } | undefined;
        if (existing?.content === order.content) continue;
        changed += 1;
        this.stmts.upsertOrder.run({ ...order, multiStore: order.multiStore ? 1 : 0, at });
        this.stmts.dropCredentials.run(order.orderId);
        for (const c of credentials) this.stmts.insertCredential.run({ ...c, isEntrance: c.isEntrance ? 1 : 0 });
      }
      return changed;
    })();
  }

  /** Orders the provider withdrew; returns how many were here. Part of the caller's transaction. */
  removeOrders(orderIds: string[]): number {
    return this.db.transaction(() => {
      let removed = 0;
      for (const orderId of orderIds) {
        this.stmts.dropCredentials.run(orderId);
        removed += this.stmts.dropOrder.run(orderId).changes;
      }
      return removed;
    })();
  }

  orderCount(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }
}
