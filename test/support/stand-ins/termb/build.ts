import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import koffi from 'koffi';

const SOURCE = join(import.meta.dirname, 'termb-stand-in.c');

/** The tests' hands on the stand-in reader (its StandIn_* exports). */
export interface StandInDevice {
  reset(port: number): void;
  placeCard(idNumber: string, name: string): void;
  liftCard(): void;
  misread(times: number): void;
  unplug(): void;
  replug(): void;
  /** The vendor calls made since the last take, in order. */
  takeCalls(): string[];
}

/**
 * Compiles the stand-in termb library into `folder` with the system C compiler (gcc; see
 * scripts/ensure-system-deps.sh) and opens the device controls through koffi. The adapter under
 * test loads the same file itself; the loader shares one copy, so both see one device.
 */
export function buildStandInTermb(folder: string): { libraryPath: string; device: StandInDevice; close(): void } {
  const libraryPath = join(folder, 'libtermb-stand-in.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', libraryPath, SOURCE]);
  const lib = koffi.load(libraryPath);
  const take = lib.func('int StandIn_TakeCalls(_Out_ uint8_t *out, int size)');
  const device: StandInDevice = {
    reset: lib.func('void StandIn_Reset(int port)'),
    placeCard: lib.func('void StandIn_PlaceCard(const char *id, const char *name)'),
    liftCard: lib.func('void StandIn_LiftCard()'),
    misread: lib.func('void StandIn_Misread(int times)'),
    unplug: lib.func('void StandIn_Unplug()'),
    replug: lib.func('void StandIn_Replug()'),
    takeCalls() {
      const buffer = Buffer.alloc(8192);
      const length = take(buffer, buffer.length) as number;
      return buffer
        .toString('latin1', 0, Math.min(length, buffer.length - 1))
        .split('\n')
        .filter(Boolean);
    },
  };
  return { libraryPath, device, close: () => lib.unload() };
}
