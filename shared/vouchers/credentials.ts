import { z } from 'zod';
import { parseScan } from '../scan/parse';
import type { VoucherItem, VoucherOrder } from './schema';

const CredentialKind = z.enum(['qrcode', 'certificate_no', 'credential_no', 'id_card']);
type CredentialKind = z.infer<typeof CredentialKind>;

/** One row of the code → order index. `value` is the key exactly as parseScan will produce it. */
export const VoucherCredential = z.object({
  kind: CredentialKind,
  value: z.string(),
  projectId: z.string(),
  projectName: z.string().optional(),
  isEntrance: z.boolean(),
});
export type VoucherCredential = z.infer<typeof VoucherCredential>;

interface Entry {
  field: CredentialKind;
  raw: string;
  path: (string | number)[];
  item: VoucherItem;
  isEntrance: boolean;
}

function itemEntries(item: VoucherItem, base: (string | number)[], isEntrance: boolean): Entry[] {
  const entry = (field: CredentialKind, raw: string, path: (string | number)[]): Entry => ({
    field,
    raw,
    path: [...base, ...path],
    item,
    isEntrance,
  });
  return [
    ...item.id_cards.map((raw, i) => entry('id_card', raw, ['id_cards', i])),
    ...item.qrcodes.map((raw, i) => entry('qrcode', raw, ['qrcodes', i])),
    ...item.certificate_nos.map((raw, i) => entry('certificate_no', raw, ['certificate_nos', i])),
    ...item.credentials.map((c, i) => entry('credential_no', c.credential_no, ['credentials', i, 'credential_no'])),
  ];
}

function entries(order: VoucherOrder): Entry[] {
  return [
    ...itemEntries(order.voucher.entrance, ['voucher', 'entrance'], true),
    ...order.voucher.projects.flatMap((item, i) => itemEntries(item, ['voucher', 'projects', i], false)),
  ];
}

/** Codes in the order that a scan would read as an order id, with where they sit in the line. */
export function orderIdReadings(order: VoucherOrder): { path: (string | number)[]; orderId: string }[] {
  return entries(order).flatMap(({ raw, path }) => {
    const scan = parseScan(raw);
    return scan.kind === 'order_id' ? [{ path, orderId: scan.orderId }] : [];
  });
}

/**
 * The lookup keys of a validated order, without repeats. Keys are what parseScan yields, so a
 * URL-shaped QR payload is indexed by the code inside it, and an ID number found in any field is
 * indexed as an id_card, so the caller hashes it rather than storing it in clear.
 */
export function voucherCredentials(order: VoucherOrder): VoucherCredential[] {
  const seen = new Set<string>();
  const result: VoucherCredential[] = [];
  for (const { field, raw, item, isEntrance } of entries(order)) {
    const scan = parseScan(raw);
    // order_id readings are this order's own id (validation ensured it) and need no index row.
    const key =
      scan.kind === 'code'
        ? { kind: field, value: scan.code }
        : scan.kind === 'id_card'
          ? { kind: 'id_card' as const, value: scan.idNumber }
          : undefined;
    if (key === undefined) continue;
    const dedupe = [key.kind, key.value, item.project_id, isEntrance].join('\u0000');
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    result.push({
      ...key,
      projectId: item.project_id,
      ...(item.name !== undefined && { projectName: item.name }),
      isEntrance,
    });
  }
  return result;
}
