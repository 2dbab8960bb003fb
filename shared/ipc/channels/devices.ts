import { z } from 'zod';
import { IdReaderSetting, IdReaderStatus, ScannerSetting } from '../../domain/devices';
import { done, none, staff, supervisorOnly, type ChannelSpec } from './common';

const DevicesStatus = z.object({ idReader: IdReaderStatus });
type DevicesStatus = z.infer<typeof DevicesStatus>;

/** The window's devices: their live status for everyone, their settings for the supervisor. */
export const deviceChannels = {
  'devices.status': staff(none, DevicesStatus),
  'devices.idReader.get': supervisorOnly({}, IdReaderSetting),
  // The setting's own schema is the boundary: a service URL off this machine never gets in.
  'devices.idReader.save': supervisorOnly({ idReader: IdReaderSetting }, done),
  'devices.scanner.save': supervisorOnly({ scanner: ScannerSetting }, done),
} satisfies Record<string, ChannelSpec>;
