import type { printerChannels } from '../../../shared/ipc/channels/printer';
import type { Handlers } from '../dispatch';
import type { PrintDesk } from '../printing/print-desk';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';

type PrinterRoutes = Pick<Handlers, keyof typeof printerChannels>;

export function createPrinterRoutes(deps: {
  supervisor: Supervisor;
  settings: SettingsStore;
  printer: PrintDesk;
}): PrinterRoutes {
  const { audit, sessions } = deps.supervisor;
  const by = () => sessions.holder() ?? '';
  return {
    'devices.printer.status': () => deps.printer.status(),
    'devices.printer.get': () => deps.settings.get().printer,
    'devices.printer.save': ({ printer }) => {
      deps.settings.update({ printer });
      audit.record('printer_changed', `${printer.mode} ${printer.target?.kind ?? 'none'}`);
      return { ok: true as const };
    },
    'devices.printer.test': () => deps.printer.testPrint(by()),
    'devices.printer.printScan': ({ scanId }) => {
      const queued = deps.printer.printScan(scanId, by());
      audit.record('slip_reprinted', `scan ${scanId}`);
      return queued;
    },
    'devices.printer.discard': () => {
      const discarded = deps.printer.discardWaiting();
      audit.record('slips_discarded', String(discarded));
      return { discarded };
    },
  };
}
