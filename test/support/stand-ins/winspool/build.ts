import { join } from 'node:path';
import { buildStandInLibrary } from '../build-library';

const SOURCE = join(import.meta.dirname, 'winspool-stand-in.c');

/** The tests' hands on the stand-in spooler (its StandIn_* exports). */
export interface StandInSpooler {
  /** The one printer the spooler knows; also forgets earlier calls and documents. */
  install(printerName: string): void;
  failWrites(times: number): void;
  openHandles(): number;
  /** The winspool calls made since the last take, in order. */
  takeCalls(): string[];
  /** The bytes the last document was sent. */
  document(): Buffer;
}

/** Compiles the stand-in winspool library into `folder` and opens its controls (one copy, one spooler). */
export function buildStandInWinspool(folder: string): { libraryPath: string; spooler: StandInSpooler; close(): void } {
  const { libraryPath, lib, takeCalls } = buildStandInLibrary(SOURCE, folder, 'winspool-stand-in');
  const length = lib.func('int StandIn_DocLength()');
  const copy = lib.func('void StandIn_CopyDoc(_Out_ uint8_t *out, int size)');
  const spooler: StandInSpooler = {
    install: lib.func('void StandIn_Install(const char *name)'),
    failWrites: lib.func('void StandIn_FailWrites(int times)'),
    openHandles: lib.func('int StandIn_OpenHandles()'),
    takeCalls,
    document() {
      const buffer = Buffer.alloc(length() as number);
      if (buffer.length > 0) copy(buffer, buffer.length);
      return buffer;
    },
  };
  return { libraryPath, spooler, close: () => lib.unload() };
}
