import { z } from 'zod';
import { DEMO_POI_ID } from './order-book';

/**
 * Douyin-code coupons (团购券, trip products with ticket_rule.code_type 1) in the sandbox.
 * One order carries one SKU and one or more certificates (券), each with its own plain code,
 * amount in fen and validity window. Shapes follow §5 of docs/douyin-platform.md and the
 * platform's 验券准备 page; what Douyin does not document is marked where it is decided.
 */
const couponCertificateSchema = z.object({
  /** int64 on the wire; the sandbox writes it as a bare JSON integer beyond 2^53. */
  certificate_id: z.string().regex(/^[1-9]\d{15,18}$/),
  /** The plain code a visitor reads out (券码明文). */
  code: z.string().regex(/^\d{10,20}$/),
  original_amount: z.number().int().nonnegative(),
  pay_amount: z.number().int().nonnegative(),
  /** Unix seconds. */
  start_time: z.number().int(),
  expire_time: z.number().int(),
  state: z.enum(['unused', 'used', 'refunded']).default('unused'),
});

export const couponOrderSchema = z.object({
  order_id: z.string().regex(/^\d{19}$/),
  label: z.string().default(''),
  poi_ids: z.array(z.string().min(1)).min(1),
  sku: z.object({ sku_id: z.string().min(1), title: z.string().min(1), groupon_type: z.number().int() }),
  certificates: z.array(couponCertificateSchema).min(1),
});

export type CouponCertificate = z.infer<typeof couponCertificateSchema>;
export type CouponOrder = z.infer<typeof couponOrderSchema>;
export type CouponOrderInput = z.input<typeof couponOrderSchema>;
/** A pre-imported code (预导码, code_type 3) and the 19-digit trip order it belongs to. */
export interface ReserveCode {
  code: string;
  order_id: string;
}

/** The merchant's 来客 account the sandbox answers verify_record and bind_order_info for. */
export const SANDBOX_ACCOUNT_ID = '7100000000000000001';

const DAY_S = 86_400;

/** Demo coupons around `nowMs`: one of each case the window must handle. */
export function seedDemoCoupons(nowMs: number): CouponOrder[] {
  const now = Math.floor(nowMs / 1000);
  const valid = { start_time: now - 30 * DAY_S, expire_time: now + 60 * DAY_S };
  const sku = (n: number, title: string) => ({ sku_id: `7300000000000000${String(n).padStart(3, '0')}`, title, groupon_type: 1 });
  const cert = (n: number, fen: number, extra: Partial<CouponCertificate> = {}) => ({
    certificate_id: `72000000000000${String(n).padStart(5, '0')}`,
    code: `1000000000${String(n).padStart(2, '0')}`,
    original_amount: fen,
    pay_amount: fen,
    ...valid,
    ...extra,
  });
  const orders: CouponOrderInput[] = [
    {
      order_id: '1090000000000000001',
      label: '成人票团购券 · 1张',
      poi_ids: [DEMO_POI_ID],
      sku: sku(1, '成人门票（团购）'),
      certificates: [cert(1, 9900)],
    },
    {
      order_id: '1090000000000000002',
      label: '家庭套票 · 3张，可选人数',
      poi_ids: [DEMO_POI_ID],
      sku: sku(2, '家庭游套票'),
      certificates: [cert(2, 6800), cert(3, 6800), cert(4, 6800)],
    },
    {
      order_id: '1090000000000000003',
      label: '已过期',
      poi_ids: [DEMO_POI_ID],
      sku: sku(3, '夜游门票'),
      certificates: [cert(5, 5000, { start_time: now - 90 * DAY_S, expire_time: now - DAY_S })],
    },
    {
      order_id: '1090000000000000004',
      label: '未到可用时间',
      poi_ids: [DEMO_POI_ID],
      sku: sku(4, '元旦特惠票'),
      certificates: [cert(6, 4500, { start_time: now + 7 * DAY_S, expire_time: now + 37 * DAY_S })],
    },
    {
      order_id: '1090000000000000005',
      label: '已退款',
      poi_ids: [DEMO_POI_ID],
      sku: sku(5, '成人门票（团购）'),
      certificates: [cert(7, 9900, { state: 'refunded' })],
    },
    {
      order_id: '1090000000000000006',
      label: '已使用',
      poi_ids: [DEMO_POI_ID],
      sku: sku(6, '儿童门票（团购）'),
      certificates: [cert(8, 3900, { state: 'used' })],
    },
  ];
  return orders.map((order) => couponOrderSchema.parse(order));
}

/** Demo pre-imported code: bound to the demo trip order 8000004478714899971 (亲子票). */
export const DEMO_RESERVE_CODES: ReserveCode[] = [{ code: 'YD2026000001', order_id: '8000004478714899971' }];
