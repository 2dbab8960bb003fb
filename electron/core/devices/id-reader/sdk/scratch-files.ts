import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// What termb.dll versions write on every read: the card's text (name, birth date, address) and
// the decoded photo. Depending on the version they land next to the DLL, in the current folder
// or in %TEMP%.
const SCRATCH_FILES = ['wz.txt', 'zp.bmp', 'xp.wlt', 'fp.dat', 'newadd.txt'];

export function scratchFoldersOf(libraryPath: string): string[] {
  return [...new Set([dirname(libraryPath), process.cwd(), tmpdir()])];
}

/** Deletes the SDK's copies of the card: the window keeps nothing of a visitor but the number. */
export function removeScratchFiles(folders: readonly string[]): void {
  for (const folder of folders) {
    for (const name of SCRATCH_FILES) {
      for (const variant of [name, name.toUpperCase()]) rmSync(join(folder, variant), { force: true });
    }
  }
}
