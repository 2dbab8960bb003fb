import { z } from 'zod';
import { PrinterSetting, PrinterStatus } from '../../domain/printer';
import { staff, supervisorOnly, none, type ChannelSpec } from './common';

const Queued = z.object({ jobId: z.number().int() });

/** The receipt printer (小票): its status for everyone, its settings and slips for the supervisor. */
export const printerChannels = {
  'devices.printer.status': staff(none, PrinterStatus),
  'devices.printer.get': supervisorOnly({}, PrinterSetting),
  // The setting's own schema is the boundary: a printer host off the site's network never gets in.
  'devices.printer.save': supervisorOnly({ printer: PrinterSetting }, z.object({ ok: z.literal(true) })),
  'devices.printer.test': supervisorOnly({}, Queued),
  /** "Print slip" on a history row: queued like any slip, marked as a reprint. */
  'devices.printer.printScan': supervisorOnly({ scanId: z.number().int().positive() }, Queued),
  'devices.printer.discard': supervisorOnly({}, z.object({ discarded: z.number().int().min(0) })),
} satisfies Record<string, ChannelSpec>;
