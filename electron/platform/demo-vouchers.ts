import type { SandboxOrder } from '../sandbox';
import { VoucherOrder } from '../../shared/vouchers/file';

/**
 * The provider's side of the demo: vouchers for the sandbox's demo orders, so the demo codes
 * (TW…) and one demo ID number scan just as a real install's would. The first project of an order
 * is its entrance ticket; the rest are separate projects (cable car…).
 */
const DEMO_ID_NUMBER = '11010519491231002X';

export function demoVoucherOrders(orders: SandboxOrder[]): VoucherOrder[] {
  return orders.map((order, i) => {
    const [entrance, ...projects] = order.projects;
    const part = (p: SandboxOrder['projects'][number]) => ({
      project_id: p.project_id,
      name: p.name,
      certificate_nos: p.certificate_nos,
      qrcodes: p.certificate_nos,
    });
    return VoucherOrder.parse({
      order_id: order.order_id,
      ...(order.multi_store ? { poi_id: order.poi_ids[0] } : {}),
      multi_store: order.multi_store,
      visit_date: order.visit_date,
      voucher: {
        ...(entrance ? { entrance: { ...part(entrance), ...(i === 0 ? { id_cards: [DEMO_ID_NUMBER] } : {}) } } : {}),
        projects: projects.map(part),
      },
    });
  });
}
