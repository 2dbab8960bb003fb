import type { IdReaderSetting, IdReaderStatus } from '../../../../shared/domain/devices';
import type { SettingsStore } from '../../settings/store';
import { loggerFor } from '../../log';
import { createServiceReader } from './local-service/service-reader';
import type { IdNumberSink, IdReader, StatusListener } from './reader';
import { createSdkReader } from './sdk/sdk-reader';

const log = loggerFor('id-reader');

/** A keyboard wedge types into the window like a scanner: nothing to drive, nothing to know. */
const keyboardWedge = (): IdReader => ({
  kind: 'keyboard_wedge',
  start() {},
  stop: () => Promise.resolve(),
  status: () => ({ kind: 'keyboard_wedge', connected: null, cardPresent: null, lastReadAt: null, lastError: null }),
});

function readerFor(setting: IdReaderSetting, onIdNumber: IdNumberSink, onStatus: StatusListener): IdReader {
  switch (setting.kind) {
    case 'keyboard_wedge':
      return keyboardWedge();
    case 'local_service':
      return createServiceReader(setting, { onIdNumber, onStatus });
    case 'vendor_sdk':
      return createSdkReader(setting, { onIdNumber, onStatus });
  }
}

export interface ReaderHost {
  status(): IdReaderStatus;
  close(): Promise<void>;
}

/**
 * Runs the reader the settings name and swaps it when the supervisor picks another; one swap at
 * a time, so an old reader has released the device before the new one opens it.
 */
export function startReaderHost(settings: SettingsStore, onIdNumber: IdNumberSink, onStatus: StatusListener): ReaderHost {
  let setting = settings.get().idReader;
  let reader = readerFor(setting, onIdNumber, onStatus);
  let swapping = Promise.resolve();
  reader.start();
  onStatus(reader.status());

  const unsubscribe = settings.subscribe((next) => {
    if (JSON.stringify(next.idReader) === JSON.stringify(setting)) return;
    setting = next.idReader;
    swapping = swapping.then(async () => {
      await reader.stop();
      reader = readerFor(setting, onIdNumber, onStatus);
      log.info(`ID reader: now ${setting.kind}`);
      reader.start();
      onStatus(reader.status());
    });
  });

  return {
    status: () => reader.status(),
    async close() {
      unsubscribe();
      await swapping;
      await reader.stop();
    },
  };
}
