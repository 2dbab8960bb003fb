import { z } from 'zod';
import { ImportReport } from '../../domain/vouchers';
import { MAX_FILE_BYTES } from '../../vouchers/file';
import { none, withSession } from './common';

export const voucherChannels = {
  /** A provider's voucher file (JSON Lines), read by the renderer from a file the supervisor chose. */
  'vouchers.import': {
    // Characters, a little over the byte cap, so the parser's own size message is the one shown.
    input: withSession({ text: z.string().max(MAX_FILE_BYTES + 1) }),
    output: ImportReport,
  },
  /** The same data pulled from the provider's feed URL in settings. */
  'vouchers.pull': { input: withSession({}), output: ImportReport },
  'vouchers.summary': { input: none, output: z.object({ orders: z.number().int() }) },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
