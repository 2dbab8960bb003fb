import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';

/**
 * Compiles a stand-in vendor library from its C source into `folder` with the system C compiler
 * (gcc; see scripts/ensure-system-deps.sh) and opens it through koffi. The adapter under test
 * loads the same file itself; the loader shares one copy, so test and adapter see one device.
 * Every stand-in records the vendor calls made to it; `takeCalls` reads and forgets them.
 */
export function buildStandInLibrary(
  source: string,
  folder: string,
  name: string,
): { libraryPath: string; lib: LibraryHandle; takeCalls(): string[] } {
  const libraryPath = join(folder, `lib${name}.so`);
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', libraryPath, source]);
  const lib = koffi.load(libraryPath);
  const take = lib.func('int StandIn_TakeCalls(_Out_ uint8_t *out, int size)');
  return {
    libraryPath,
    lib,
    takeCalls() {
      const buffer = Buffer.alloc(8192);
      const length = take(buffer, buffer.length) as number;
      return buffer
        .toString('latin1', 0, Math.min(length, buffer.length - 1))
        .split('\n')
        .filter(Boolean);
    },
  };
}
