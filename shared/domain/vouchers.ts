import { z } from 'zod';
import { VoucherErrorKey } from '../vouchers/file';

/** What an import did, for the supervisor: whole files only, so either counts or line errors. */
export const ImportReport = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), orders: z.number().int(), changed: z.number().int() }),
  z.object({
    ok: z.literal(false),
    errors: z.array(
      z.object({ line: z.number().int(), key: VoucherErrorKey, params: z.record(z.string(), z.union([z.string(), z.number()])) }),
    ),
    totalErrors: z.number().int(),
  }),
]);
export type ImportReport = z.infer<typeof ImportReport>;
