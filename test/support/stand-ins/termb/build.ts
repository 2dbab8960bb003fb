import { join } from 'node:path';
import { buildStandInLibrary } from '../build-library';

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

/** Compiles the stand-in termb library into `folder` and opens the device controls (its StandIn_* exports). */
export function buildStandInTermb(folder: string): { libraryPath: string; device: StandInDevice; close(): void } {
  const { libraryPath, lib, takeCalls } = buildStandInLibrary(SOURCE, folder, 'termb-stand-in');
  const device: StandInDevice = {
    reset: lib.func('void StandIn_Reset(int port)'),
    placeCard: lib.func('void StandIn_PlaceCard(const char *id, const char *name)'),
    liftCard: lib.func('void StandIn_LiftCard()'),
    misread: lib.func('void StandIn_Misread(int times)'),
    unplug: lib.func('void StandIn_Unplug()'),
    replug: lib.func('void StandIn_Replug()'),
    takeCalls,
  };
  return { libraryPath, device, close: () => lib.unload() };
}
