import type { deviceChannels } from '../../../shared/ipc/channels/devices';
import type { ReaderHost } from '../devices/id-reader/reader-host';
import type { Handlers } from '../dispatch';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';

type DeviceRoutes = Pick<Handlers, keyof typeof deviceChannels>;

export function createDeviceRoutes(deps: { supervisor: Supervisor; settings: SettingsStore; reader: ReaderHost }): DeviceRoutes {
  return {
    'devices.status': () => ({ idReader: deps.reader.status() }),
    'devices.idReader.get': () => deps.settings.get().idReader,
    'devices.idReader.save': ({ idReader }) => {
      deps.settings.update({ idReader });
      // The kind only: a library path or a service URL is configuration, not worth the audit line.
      deps.supervisor.audit.record('id_reader_changed', idReader.kind);
      return { ok: true as const };
    },
    'devices.scanner.save': ({ scanner }) => {
      deps.settings.update({ scanner });
      deps.supervisor.audit.record('scanner_changed', `${scanner.suffix} ${scanner.burstGapMs}ms`);
      return { ok: true as const };
    },
  };
}
