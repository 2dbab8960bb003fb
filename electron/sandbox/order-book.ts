import { z } from 'zod';

const orderProjectSchema = z.object({
  project_id: z.string().min(1),
  name: z.string(),
  /** Codes printed on the ticket for this project, so a demo can show something to scan. */
  certificate_nos: z.array(z.string()).default([]),
});

export const sandboxOrderSchema = z.object({
  /** Douyin order ids are 19-digit strings. */
  order_id: z.string().regex(/^\d{19}$/),
  projects: z.array(orderProjectSchema).min(1),
  /** Reservation date, Asia/Shanghai. */
  visit_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  poi_ids: z.array(z.string()).min(1),
  /** Calendar ticket valid at several stores: verify must name the store. */
  multi_store: z.boolean(),
  state: z.enum(['paid', 'used', 'refunded']),
  /** What a demo screen may say about the order. */
  label: z.string().default(''),
});

export type SandboxOrder = z.infer<typeof sandboxOrderSchema>;
export type SandboxOrderInput = z.input<typeof sandboxOrderSchema>;

export const DEMO_POI_ID = '7000000000000000001';
export const DEMO_SECOND_POI_ID = '7000000000000000002';

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A demo order book around `today` (YYYY-MM-DD, Asia/Shanghai). */
export function seedDemoOrders(today: string): SandboxOrder[] {
  const single = [DEMO_POI_ID];
  const orders: SandboxOrderInput[] = [
    {
      order_id: '8000004478714899970',
      label: '成人票 · 今日可核销',
      visit_date: today,
      poi_ids: single,
      multi_store: false,
      state: 'paid',
      projects: [{ project_id: 'a0', name: '成人门票', certificate_nos: ['TW1000000001'] }],
    },
    {
      order_id: '1003051470049948030',
      label: '门票+索道 · 今日可核销，可部分核销',
      visit_date: today,
      poi_ids: single,
      multi_store: false,
      state: 'paid',
      projects: [
        { project_id: 'a0', name: '入园门票', certificate_nos: ['TW1000000002'] },
        { project_id: 'b1', name: '索道往返', certificate_nos: ['TW1000000003'] },
      ],
    },
    {
      order_id: '8000004478714899971',
      label: '亲子票 · 今日可核销',
      visit_date: today,
      poi_ids: single,
      multi_store: false,
      state: 'paid',
      projects: [{ project_id: 'a0', name: '亲子门票', certificate_nos: ['TW1000000004'] }],
    },
    {
      order_id: '8000004478714899972',
      label: '明日票 · 不支持提前核销',
      visit_date: nextDay(today),
      poi_ids: single,
      multi_store: false,
      state: 'paid',
      projects: [{ project_id: 'a0', name: '成人门票', certificate_nos: ['TW1000000005'] }],
    },
    {
      order_id: '8000004478714899973',
      label: '多门店日历票 · 需传门店 poi_id',
      visit_date: today,
      poi_ids: [DEMO_POI_ID, DEMO_SECOND_POI_ID],
      multi_store: true,
      state: 'paid',
      projects: [{ project_id: 'a0', name: '通票', certificate_nos: ['TW1000000006'] }],
    },
    {
      order_id: '8000004478714899974',
      label: '已使用 · 已核销过',
      visit_date: today,
      poi_ids: single,
      multi_store: false,
      state: 'used',
      projects: [{ project_id: 'a0', name: '成人门票', certificate_nos: ['TW1000000007'] }],
    },
  ];
  return orders.map((order) => sandboxOrderSchema.parse(order));
}
