import { basename } from 'node:path';
import { z } from 'zod';
import { isValidIdNumber } from '../../../../../shared/scan/idNumber';
import { log } from '../../../log';
import { CardPresence } from '../card-presence';
import type { IdNumberSink, IdReader, StatusListener } from '../reader';
import { StatusBook } from '../status-book';
import { readBinaryArch, widthName, type BinaryArch } from './binary-arch';
import { describeLoadError } from './load-error';
import { removeScratchFiles, scratchFoldersOf } from './scratch-files';
import { AUTHENTICATE, INIT, loadTermb, PORTS, READ_BASIC, READ_CONTENT, type TermbApi } from './termb-api';

export const VendorSdkConfig = z.object({
  /** Where the vendor's termb.dll is (its sdtapi.dll and WltRS.dll next to it). */
  libraryPath: z.string().trim().min(1).max(1000),
  /** How often to ask the reader for a card; the vendor's examples poll at 200–500 ms. */
  pollIntervalMs: z.number().int().min(100).max(5000).default(300),
  /** How long to wait before scanning the ports again when no reader answered. */
  reconnectMs: z.number().int().min(100).max(60_000).default(2000),
});
export type VendorSdkConfig = z.infer<typeof VendorSdkConfig>;

export interface SdkReaderDeps {
  onIdNumber: IdNumberSink;
  onStatus?: StatusListener;
  now?: () => number;
}

const processArch = (): BinaryArch =>
  ['ia32', 'x64', 'arm64', 'arm'].includes(process.arch) ? (process.arch as BinaryArch) : 'other';

/**
 * A reader driven through the vendor's SDK in the core's own process, as the SDK manual orders
 * the calls: CVR_InitComm over the ports until one answers, then per poll CVR_Authenticate and,
 * for a card just placed, CVR_Read_Content and GetPeopleIDCode. Only the number leaves here.
 */
export function createSdkReader(input: z.input<typeof VendorSdkConfig>, deps: SdkReaderDeps): IdReader {
  const config = VendorSdkConfig.parse(input);
  const book = new StatusBook('vendor_sdk', deps.onStatus, deps.now);
  const presence = new CardPresence();
  const scratch = scratchFoldersOf(config.libraryPath);
  let api: TermbApi | null = null;
  let port: number | null = null;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const load = (): TermbApi | null => {
    const app = processArch();
    let arch: BinaryArch | null;
    try {
      arch = readBinaryArch(config.libraryPath);
    } catch {
      book.fail('library_missing', `${config.libraryPath} was not found`, { connected: false });
      return null;
    }
    if (arch !== null && arch !== app) {
      const name = basename(config.libraryPath);
      book.fail(
        'library_wrong_bitness',
        `${name} is ${widthName(arch)}; this app is ${widthName(app)}: install the vendor's ${widthName(app)} SDK`,
        { connected: false },
      );
      return null;
    }
    try {
      return loadTermb(config.libraryPath);
    } catch (error) {
      const failure = describeLoadError(error, widthName(app));
      book.fail(failure.problem, failure.detail, { connected: false });
      return null;
    }
  };

  const disconnect = async (sdk: TermbApi) => {
    await sdk.closeComm();
    port = null;
    presence.lifted();
    log.warn('ID reader: the reader stopped answering; looking for it again');
    book.fail('not_connected', undefined, { connected: false, cardPresent: null });
  };

  const connect = async (sdk: TermbApi) => {
    for (const candidate of PORTS) {
      const result = await sdk.initComm(candidate);
      if (result === INIT.ok) {
        port = candidate;
        log.info(`ID reader: found on port ${candidate}`);
        book.update({ connected: true, cardPresent: false, lastError: null });
        return;
      }
      if (result === INIT.libraryFailed) {
        book.fail('library_load_failed', 'CVR_InitComm returned -2: the SDK could not load its own libraries', {
          connected: false,
        });
        return;
      }
    }
    book.fail('not_connected', undefined, { connected: false, cardPresent: null });
  };

  const readCard = async (sdk: TermbApi) => {
    const result = await sdk.readContent(READ_BASIC);
    removeScratchFiles(scratch);
    if (result === READ_CONTENT.noReader) return disconnect(sdk);
    if (result !== READ_CONTENT.ok) {
      book.fail('misread', `CVR_Read_Content returned ${result}`, { cardPresent: true });
      return;
    }
    const idNumber = await sdk.peopleIdCode();
    if (idNumber === null || !isValidIdNumber(idNumber)) {
      book.fail('misread', 'what the card gave is not a valid ID number', { cardPresent: true });
      return;
    }
    if (!presence.seen(idNumber.toUpperCase())) return;
    book.read();
    deps.onIdNumber(idNumber.toUpperCase());
  };

  const poll = async (sdk: TermbApi) => {
    const result = await sdk.authenticate();
    switch (result) {
      case AUTHENTICATE.ok:
        if (presence.holding) book.update({ cardPresent: true });
        else await readCard(sdk);
        return;
      case AUTHENTICATE.findCardFailed:
        presence.lifted();
        book.update({ cardPresent: false });
        return;
      case AUTHENTICATE.selectCardFailed:
        // Something is on the reader but does not answer as an ID card: not lifted, not read.
        book.update({ cardPresent: true });
        return;
      case AUTHENTICATE.noReader:
        return disconnect(sdk);
      default:
        book.fail('library_load_failed', `CVR_Authenticate returned ${result}`);
    }
  };

  const tick = async (sdk: TermbApi): Promise<number> => {
    if (port === null) await connect(sdk);
    else await poll(sdk);
    return port === null ? config.reconnectMs : config.pollIntervalMs;
  };

  const schedule = (sdk: TermbApi, delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick(sdk).then(
        (next) => schedule(sdk, next),
        (error: unknown) => {
          log.error('ID reader: a call into the SDK failed', error);
          book.fail('library_load_failed', 'a call into the SDK failed');
          schedule(sdk, config.reconnectMs);
        },
      );
    }, delayMs);
    timer.unref();
  };

  return {
    kind: 'vendor_sdk',
    start() {
      if (!stopped) return;
      api = load();
      if (!api) return;
      stopped = false;
      schedule(api, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (api && port !== null) await api.closeComm();
      port = null;
      api?.unload();
      api = null;
    },
    status: () => book.get(),
  };
}
