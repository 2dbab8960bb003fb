import { z } from 'zod';
import { ImportReport } from '../../domain/vouchers';
import { MAX_FILE_BYTES } from '../../vouchers/file';
import { none, staff, supervisorOnly, type ChannelSpec } from './common';

/**
 * The body that carries a voucher file: JSON escaping can double it (every `"` and `\` gains a
 * backslash), and a file within MAX_FILE_BYTES must reach the parser, whose size message is the
 * clear one. The envelope (session, key names) fits in the remaining 64 KiB.
 */
const VOUCHER_IMPORT_BODY_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024;

export const voucherChannels = {
  /** A provider's voucher file (JSON Lines), read by the renderer from a file the supervisor chose. */
  'vouchers.import': supervisorOnly(
    // Characters, a little over the byte cap, so the parser's own size message is the one shown.
    { text: z.string().max(MAX_FILE_BYTES + 1) },
    ImportReport,
    { maxBodyBytes: VOUCHER_IMPORT_BODY_BYTES },
  ),
  /** The same data pulled from the provider's feed URL in settings. */
  'vouchers.pull': supervisorOnly({}, ImportReport),
  'vouchers.summary': staff(none, z.object({ orders: z.number().int() })),
} satisfies Record<string, ChannelSpec>;
