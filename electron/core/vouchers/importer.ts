import { parseVoucherFile, voucherCredentials, type VoucherOrder } from '../../../shared/vouchers/file';
import type { ImportReport } from '../../../shared/domain/vouchers';
import type { CredentialKeyer } from './credential-key';
import type { IndexedCredential, VoucherIndexRepository } from './index-repository';

/**
 * Loads the provider's issued vouchers into the index. A file with any bad line is refused
 * whole (nothing is written), and importing the same file again changes nothing.
 */
export class VoucherImporter {
  constructor(
    private readonly index: VoucherIndexRepository,
    private readonly keyOf: CredentialKeyer,
    private readonly now: () => number,
  ) {}

  importText(text: string): ImportReport {
    const parsed = parseVoucherFile(text);
    if (!parsed.ok) {
      // Keys and parameters only: the renderer words them in the supervisor's language.
      const errors = parsed.errors.map(({ line, key, params }) => ({ line, key, params }));
      return { ok: false, errors, totalErrors: parsed.errorCount };
    }
    return { ok: true, orders: parsed.orders.length, changed: this.importOrders(parsed.orders) };
  }

  importOrders(orders: VoucherOrder[]): number {
    const entries = orders.map((order) => ({
      order: {
        orderId: order.order_id,
        poiId: order.poi_id ?? null,
        multiStore: order.multi_store,
        visitDate: order.visit_date,
        // Keyed digest, not the line itself: the line holds ID numbers.
        content: this.keyOf.digest(JSON.stringify(order)),
      },
      credentials: voucherCredentials(order).map((c): IndexedCredential => ({
        lookupKey: this.keyOf(c.kind === 'id_card' ? 'id_card' : 'code', c.value),
        orderId: order.order_id,
        projectId: c.projectId,
        projectName: c.projectName ?? null,
        kind: c.kind,
        isEntrance: c.isEntrance,
      })),
    }));
    return this.index.replaceOrders(entries, this.now());
  }
}
