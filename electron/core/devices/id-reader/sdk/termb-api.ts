import koffi, { type LibraryHandle } from 'koffi';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

/**
 * The termb.dll API of the 华视 CVR-100 family (and the many readers that ship a compatible
 * termb.dll over sdtapi.dll), as its SDK manual documents it. Only the calls the window needs are
 * bound: the name, birth date, address and photo getters are never declared, so they cannot be
 * called by mistake.
 */
export const INIT = { ok: 1, portOpenFailed: 2, unknown: -1, libraryFailed: -2 } as const;
export const AUTHENTICATE = { ok: 1, findCardFailed: 2, selectCardFailed: 3, noReader: 4, libraryFailed: 0 } as const;
export const READ_CONTENT = { ok: 1, failed: 0, noReader: 4, exception: 99 } as const;

/** Read_Content's mode as in the vendor's own C++ example: the basic text, into the DLL's memory. */
export const READ_BASIC = 4;

/** The manual's port numbers: USB readers answer on 1001–1016, serial ones on COM1–16. */
export const PORTS: readonly number[] = [
  ...Array.from({ length: 16 }, (_, i) => 1001 + i),
  ...Array.from({ length: 16 }, (_, i) => 1 + i),
];

// The SDK sizes its examples' ID buffers at 36–128 bytes; an ID number is 18 ASCII characters.
const ID_BUFFER_BYTES = 128;

export interface TermbApi {
  initComm(port: number): Promise<number>;
  closeComm(): Promise<number>;
  authenticate(): Promise<number>;
  readContent(active: number): Promise<number>;
  /** GetPeopleIDCode's result and text (null unless the call said 1). */
  peopleIdCode(): Promise<string | null>;
  unload(): void;
}

// Each call runs on one of koffi's worker threads, so a slow reader (Authenticate takes up to
// ~300 ms) never holds up the core's event loop, and with it the answer to a scan.
function call<T>(fn: KoffiFunction, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (error: unknown, result: T) => (error ? reject(error) : resolve(result))),
  );
}

/** Loads the library and binds the calls; throws koffi's own errors (see load-error.ts). */
export function loadTermb(path: string): TermbApi {
  const lib = koffi.load(path);
  try {
    // __stdcall is what the 32-bit DLLs use; koffi ignores it where there is one convention (x64).
    const initComm = lib.func('int __stdcall CVR_InitComm(int Port)');
    const closeComm = lib.func('int __stdcall CVR_CloseComm()');
    const authenticate = lib.func('int __stdcall CVR_Authenticate()');
    const readContent = lib.func('int __stdcall CVR_Read_Content(int Active)');
    const getIdCode = lib.func('int __stdcall GetPeopleIDCode(_Out_ uint8_t *strTmp, _Inout_ int *strLen)');
    return {
      initComm: (port) => call(initComm, port),
      closeComm: () => call(closeComm),
      authenticate: () => call(authenticate),
      readContent: (active) => call(readContent, active),
      async peopleIdCode() {
        const buffer = Buffer.alloc(ID_BUFFER_BYTES);
        const length = [ID_BUFFER_BYTES];
        const result = await call<number>(getIdCode, buffer, length);
        if (result !== 1) return null;
        const end = buffer.indexOf(0);
        const size = Math.min(length[0] ?? 0, end === -1 ? buffer.length : end);
        // The number is ASCII in the SDK's GB2312 output; trim the padding some versions add.
        const text = buffer.toString('latin1', 0, size).trim();
        buffer.fill(0);
        return text;
      },
      unload: () => lib.unload(),
    };
  } catch (error) {
    lib.unload();
    throw error;
  }
}
