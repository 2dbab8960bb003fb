import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import koffi from 'koffi';

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

/**
 * Compiles the stand-in winspool library into `folder` with the system C compiler and opens its
 * controls through koffi; the adapter under test loads the same file (one copy, one spooler).
 */
export function buildStandInWinspool(folder: string): { libraryPath: string; spooler: StandInSpooler; close(): void } {
  const libraryPath = join(folder, 'libwinspool-stand-in.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', libraryPath, SOURCE]);
  const lib = koffi.load(libraryPath);
  const take = lib.func('int StandIn_TakeCalls(_Out_ uint8_t *out, int size)');
  const length = lib.func('int StandIn_DocLength()');
  const copy = lib.func('void StandIn_CopyDoc(_Out_ uint8_t *out, int size)');
  const spooler: StandInSpooler = {
    install: lib.func('void StandIn_Install(const char *name)'),
    failWrites: lib.func('void StandIn_FailWrites(int times)'),
    openHandles: lib.func('int StandIn_OpenHandles()'),
    takeCalls() {
      const buffer = Buffer.alloc(8192);
      const n = take(buffer, buffer.length) as number;
      return buffer.toString('latin1', 0, n).split('\n').filter(Boolean);
    },
    document() {
      const buffer = Buffer.alloc(length() as number);
      if (buffer.length > 0) copy(buffer, buffer.length);
      return buffer;
    },
  };
  return { libraryPath, spooler, close: () => lib.unload() };
}
