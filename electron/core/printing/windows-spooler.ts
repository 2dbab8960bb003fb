import koffi, { type LibraryHandle } from 'koffi';
import { PrintFailure } from './network-printer';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

/** Where Windows keeps the spooler's client API; tests load a stand-in exporting the same names. */
const WINSPOOL_PATH = 'winspool.drv';

// The job's name in the Windows print queue.
const DOC_NAME = 'Ticket Window slip';

interface Spooler {
  open: KoffiFunction;
  startDoc: KoffiFunction;
  startPage: KoffiFunction;
  write: KoffiFunction;
  endPage: KoffiFunction;
  endDoc: KoffiFunction;
  close: KoffiFunction;
}

const loaded = new Map<string, Spooler>();

// The spooler's own types, declared once for koffi (a name can be declared only once).
koffi.pointer('PRINTER_HANDLE', koffi.opaque());
koffi.struct('DOC_INFO_1W', { pDocName: 'str16', pOutputFile: 'str16', pDatatype: 'str16' });

/**
 * Binds the raw-printing calls of winspool's documented API (Microsoft's "How To: Send Data
 * Directly to a GDI Printer"): OpenPrinterW, StartDocPrinterW with a level-1 DOC_INFO_1W whose
 * data type is RAW, StartPagePrinter, WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter.
 * BOOL is a 32-bit int and strings are UTF-16 (the W entry points). Bound once per path.
 */
function spoolerAt(path: string): Spooler {
  const known = loaded.get(path);
  if (known) return known;
  const lib = koffi.load(path);
  const spooler: Spooler = {
    open: lib.func('int __stdcall OpenPrinterW(str16 pPrinterName, _Out_ PRINTER_HANDLE *phPrinter, void *pDefault)'),
    startDoc: lib.func('uint32_t __stdcall StartDocPrinterW(PRINTER_HANDLE hPrinter, uint32_t Level, DOC_INFO_1W *pDocInfo)'),
    startPage: lib.func('int __stdcall StartPagePrinter(PRINTER_HANDLE hPrinter)'),
    write: lib.func(
      'int __stdcall WritePrinter(PRINTER_HANDLE hPrinter, const uint8_t *pBuf, uint32_t cbBuf, _Out_ uint32_t *pcWritten)',
    ),
    endPage: lib.func('int __stdcall EndPagePrinter(PRINTER_HANDLE hPrinter)'),
    endDoc: lib.func('int __stdcall EndDocPrinter(PRINTER_HANDLE hPrinter)'),
    close: lib.func('int __stdcall ClosePrinter(PRINTER_HANDLE hPrinter)'),
  };
  loaded.set(path, spooler);
  return spooler;
}

// On one of koffi's worker threads: a spooler that stalls (a printer on a dead share) never holds
// up the core's event loop, and with it the answer to a scan.
function call<T>(fn: KoffiFunction, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (error: unknown, result: T) => (error ? reject(error) : resolve(result))),
  );
}

/**
 * Sends ESC/POS bytes to a Windows printer by name through the spooler as one RAW job, so the
 * driver passes them to the printer untouched (its QR and cut commands included). The spooler
 * only queues the job: that it was accepted is all Windows tells; the printer's paper state is
 * not read back this way.
 */
export async function printThroughSpooler(
  printerName: string,
  bytes: Buffer,
  libraryPath: string = WINSPOOL_PATH,
): Promise<void> {
  let spooler: Spooler;
  try {
    spooler = spoolerAt(libraryPath);
  } catch (error) {
    throw new PrintFailure('not_available', `the Windows spooler (${libraryPath}) cannot be loaded: ${String(error)}`);
  }
  const out: unknown[] = [null];
  if (!(await call<number>(spooler.open, printerName, out, null)))
    throw new PrintFailure('unreachable', `OpenPrinterW failed for "${printerName}": no such printer, or no access`);
  const printer = out[0];
  try {
    const job = await call<number>(spooler.startDoc, printer, 1, { pDocName: DOC_NAME, pOutputFile: null, pDatatype: 'RAW' });
    if (!job) throw new PrintFailure('print_failed', 'StartDocPrinterW failed');
    try {
      if (!(await call<number>(spooler.startPage, printer))) throw new PrintFailure('print_failed', 'StartPagePrinter failed');
      const written = [0];
      const wrote = await call<number>(spooler.write, printer, bytes, bytes.length, written);
      await call<number>(spooler.endPage, printer);
      if (!wrote || written[0] !== bytes.length)
        throw new PrintFailure('print_failed', `WritePrinter wrote ${written[0]} of ${bytes.length} bytes`);
    } finally {
      await call<number>(spooler.endDoc, printer);
    }
  } finally {
    await call<number>(spooler.close, printer);
  }
}
