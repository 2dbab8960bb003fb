import { z } from 'zod';
import { isIsoDate } from '../scan/calendar';
import { parseScan } from '../scan/parse';
import { orderIdReadings } from './credentials';
import type { VoucherErrorKey, VoucherErrorParams } from './errors';

type Ctx = z.core.$RefinementCtx;

// Custom issues carry their message key in params, where the file report picks it up.
function flag(ctx: Ctx, key: VoucherErrorKey, params: VoucherErrorParams = {}, path?: (string | number)[]) {
  ctx.addIssue({ code: 'custom', message: key, params: { key, ...params }, ...(path && { path }) });
}

// Names and ids are shown on screen and sent to Douyin; invisible characters would make two
// identical-looking values differ.
const VISIBLE = /^[^\p{Cc}\p{Cf}]*$/u;
const Label = (max: number) => z.string().min(1).max(max).regex(VISIBLE);

/** Accepted exactly when the window would read the same text as an ID card. */
const IdCardValue = z.string().superRefine((value, ctx) => {
  const scan = parseScan(value);
  if (scan.kind === 'id_card') return;
  const reason = scan.kind === 'invalid' ? scan.reason : undefined;
  flag(ctx, reason === 'id_checksum' || reason === 'id_birth_date' ? reason : 'bad_value');
});

/**
 * A code is only worth indexing if some scan can produce it. This refuses, for example, an
 * 18-digit certificate number that the window would take for an ID number, or a Douyin link.
 */
const CodeValue = z.string().superRefine((value, ctx) => {
  const scan = parseScan(value);
  if (scan.kind === 'invalid' || scan.kind === 'unsupported') flag(ctx, 'code_unscannable', { reason: scan.reason });
});

const Credential = z.strictObject({ credential_no: CodeValue, credential_type: z.number().int() });

/**
 * Strict on purpose: a misspelt field ("qrcode", "certificate_no") would otherwise be dropped
 * silently and its visitors refused at the gate. `qrcords` is Douyin's own documented misspelling.
 */
export const VoucherItem = z
  .strictObject({
    project_id: Label(128),
    name: Label(200).optional(),
    id_cards: z.array(IdCardValue).optional(),
    qrcodes: z.array(CodeValue).optional(),
    qrcords: z.array(CodeValue).optional(),
    certificate_nos: z.array(CodeValue).optional(),
    credentials: z.array(Credential).optional(),
  })
  .transform(({ id_cards = [], qrcodes = [], qrcords = [], certificate_nos = [], credentials = [], ...rest }) => ({
    ...rest,
    id_cards,
    qrcodes: [...new Set([...qrcodes, ...qrcords])],
    certificate_nos,
    credentials,
  }));
export type VoucherItem = z.output<typeof VoucherItem>;

const OrderFields = z.strictObject({
  order_id: z.string().regex(/^\d{1,32}$/),
  poi_id: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/)
    .optional(),
  multi_store: z.boolean(),
  visit_date: z.string().superRefine((value, ctx) => {
    if (!isIsoDate(value)) flag(ctx, 'bad_date');
  }),
  voucher: z.strictObject({ entrance: VoucherItem, projects: z.array(VoucherItem).default([]) }),
});

function checkOrder(order: z.output<typeof OrderFields>, ctx: Ctx) {
  // Douyin refuses a multi-store calendar ticket without the store it was used at.
  if (order.multi_store && order.poi_id === undefined) flag(ctx, 'poi_id_required', {}, ['poi_id']);
  // A 19-digit code is read as an order id at the window; that only works if it is this order's.
  for (const { path, orderId } of orderIdReadings(order)) {
    if (orderId !== order.order_id) flag(ctx, 'code_is_other_order', {}, path);
  }
}

export const VoucherOrder = OrderFields.superRefine(checkOrder, {
  // Field refinements do not abort, and an item with a bad field skips its transform, so its
  // arrays may be missing: judge the order as a whole only once its parts are sound.
  when: (payload) => payload.issues.length === 0,
});
/** One line of the import file, after validation: arrays always present, qrcords merged in. */
export type VoucherOrder = z.output<typeof VoucherOrder>;
/** One line of the import file, as written. */
export type VoucherOrderInput = z.input<typeof VoucherOrder>;
