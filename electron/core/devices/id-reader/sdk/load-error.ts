import type { IdReaderProblem } from '../reader';

export interface LoadFailure {
  problem: IdReaderProblem;
  detail: string;
}

// What the loaders say, on Windows (LoadLibrary through koffi) and on Linux (dlopen).
const WRONG_WIDTH = /not a valid Win32 application|wrong ELF class|ELFCLASS(32|64)|incompatible architecture|wrong architecture/i;
const MISSING = /cannot open shared object file|No such file|specified module could not be found|error 126/i;

/**
 * koffi's load error in the staff's terms. A missing dependency (sdtapi.dll, WltRS.dll next to
 * termb.dll) looks like a missing file to Windows, so the detail says so.
 */
export function describeLoadError(error: unknown, processArch: string): LoadFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (WRONG_WIDTH.test(message)) {
    return {
      problem: 'library_wrong_bitness',
      detail: `the library is not built for this ${processArch} app; use the vendor's ${processArch} SDK`,
    };
  }
  if (MISSING.test(message))
    return { problem: 'library_missing', detail: 'the library, or one it needs from the same SDK folder, was not found' };
  return { problem: 'library_load_failed', detail: message.slice(0, 200) };
}
