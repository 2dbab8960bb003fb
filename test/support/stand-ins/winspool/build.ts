import { join } from 'node:path';
import { buildStandInLibrary } from '../build-library';

const SOURCE = join(import.meta.dirname, 'winspool-stand-in.c');

/** The tests' hands on the stand-in spooler (its StandIn_* exports). */
export interface StandInSpooler {
  /** The one printer the spooler knows; also forgets earlier calls and documents. */
  install(printerName: string): void;
  /** The next `times` calls of `call` (a winspool function's name) fail with Win32 error `error`. */
  fail(call: string, error: number, times: number): void;
  /** The printer's PRINTER_STATUS_* flags as GetPrinterW level 6 reports them. */
  setStatus(flags: number): void;
  /** The next call of `call` blocks until released (on koffi's worker thread). */
  stall(call: string): void;
  /** A call is blocked in the stand-in right now. */
  stalled(): boolean;
  /** Lets the stalled call return, succeeding or failing. */
  release(ok: boolean): void;
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
  const stalled = lib.func('int StandIn_Stalled()');
  const release = lib.func('void StandIn_Release(int ok)');
  const copy = lib.func('void StandIn_CopyDoc(_Out_ uint8_t *out, int size)');
  const spooler: StandInSpooler = {
    install: lib.func('void StandIn_Install(const char *name)'),
    fail: lib.func('void StandIn_Fail(const char *call, uint32_t error, int times)'),
    setStatus: lib.func('void StandIn_SetStatus(uint32_t status)'),
    stall: lib.func('void StandIn_Stall(const char *call)'),
    stalled: () => (stalled() as number) === 1,
    release: (ok) => release(ok ? 1 : 0),
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
