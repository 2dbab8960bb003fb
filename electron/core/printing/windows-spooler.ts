import koffi, { type LibraryHandle } from 'koffi';
import { loggerFor } from '../log';
import { PrintFailure } from './network-printer';
import { spoolerFailure, statusRefusal } from './spooler-errors';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

const log = loggerFor('printer');

/** Where Windows keeps the spooler's client API; tests load a stand-in exporting the same names. */
const WINSPOOL_PATH = 'winspool.drv';

// The job's name in the Windows print queue.
const DOC_NAME = 'Ticket Window slip';

interface Spooler {
  open: KoffiFunction;
  getPrinter: KoffiFunction;
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
 * data type is RAW, StartPagePrinter, WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter;
 * and GetPrinterW at level 6 (PRINTER_INFO_6, the status flags). BOOL is a 32-bit int and
 * strings are UTF-16 (the W entry points). Bound once per path.
 */
function spoolerAt(path: string): Spooler {
  const known = loaded.get(path);
  if (known) return known;
  const lib = koffi.load(path);
  const spooler: Spooler = {
    open: lib.func('int __stdcall OpenPrinterW(str16 pPrinterName, _Out_ PRINTER_HANDLE *phPrinter, void *pDefault)'),
    getPrinter: lib.func(
      'int __stdcall GetPrinterW(PRINTER_HANDLE hPrinter, uint32_t Level, _Out_ uint32_t *pPrinter, uint32_t cbBuf, _Out_ uint32_t *pcbNeeded)',
    ),
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

/**
 * The calling thread's last Win32 error. koffi restores the value an async call left behind
 * before it runs that call's callback, so it must be read inside the callback: GetLastError on
 * Windows; elsewhere the slot is errno (the tests' stand-in sets it as winspool sets the other).
 */
const lastError: () => number =
  process.platform === 'win32'
    ? (koffi.load('kernel32.dll').func('uint32_t __stdcall GetLastError()') as () => number)
    : () => koffi.errno();

interface Outcome {
  result: number;
  /** The last error when the call failed (returned 0); 0 when it did not. */
  error: number;
}

// On one of koffi's worker threads: a spooler that stalls (a printer on a dead share) never holds
// up the core's event loop, and with it the answer to a scan.
function call(fn: KoffiFunction, ...args: unknown[]): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (error: unknown, result: number) =>
      error ? reject(error) : resolve({ result, error: result ? 0 : lastError() }),
    ),
  );
}

async function must(name: string, fn: KoffiFunction, ...args: unknown[]): Promise<void> {
  const { result, error } = await call(fn, ...args);
  if (!result) throw spoolerFailure(name, error);
}

/** An attempt still inside the spooler after its time was up. */
interface Overdue {
  jobId: number;
  startedAt: number;
  settled: boolean;
  printed: boolean;
}

/**
 * Sends ESC/POS bytes to a Windows printer by name through the spooler as one RAW job, so the
 * driver passes them to the printer untouched (its QR and cut commands included). The spooler
 * only queues the job: that it was accepted is all Windows tells, besides the status flags it
 * keeps for the printer (read before each slip; a driver may not report paper at all).
 *
 * Each attempt has a time limit. A call that blocks past it (WritePrinter or EndDocPrinter to a
 * stalled spooler) keeps its worker thread; the attempt is reported timed out and the next try
 * of any slip fails at once, without a new call, until that one returns: repeated stalls would
 * otherwise take every thread of libuv's pool (the one that also runs file I/O and scrypt). If
 * the late call did print, the same slip counts as printed instead of printing twice.
 */
export class WindowsSpooler {
  private overdue: Overdue | undefined;

  constructor(
    private readonly libraryPath: string = WINSPOOL_PATH,
    private readonly now: () => number = Date.now,
  ) {}

  async print(printerName: string, bytes: Buffer, jobId: number, timeoutMs: number): Promise<void> {
    const late = this.overdue;
    if (late && !late.settled) {
      throw new PrintFailure('timed_out', `the spooler has not returned from a slip sent ${this.now() - late.startedAt} ms ago`);
    }
    this.overdue = undefined;
    if (late?.printed && late.jobId === jobId) return;

    const attempt: Overdue = { jobId, startedAt: this.now(), settled: false, printed: false };
    const run = this.spool(printerName, bytes).then(
      () => {
        attempt.printed = true;
        attempt.settled = true;
      },
      (error: unknown) => {
        attempt.settled = true;
        throw error;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<'time_up'>((resolve) => (timer = setTimeout(() => resolve('time_up'), timeoutMs)));
    try {
      if ((await Promise.race([run, timeUp])) !== 'time_up') return;
    } finally {
      clearTimeout(timer);
    }
    this.overdue = attempt;
    run.then(
      () => log.info(`a slip stalled in the spooler was taken after all (${this.now() - attempt.startedAt} ms)`),
      (error: unknown) => log.warn(`a slip stalled in the spooler failed when it returned: ${String(error)}`),
    );
    throw new PrintFailure('timed_out', `the spooler did not finish the slip within ${timeoutMs} ms`);
  }

  private async spool(printerName: string, bytes: Buffer): Promise<void> {
    let spooler: Spooler;
    try {
      spooler = spoolerAt(this.libraryPath);
    } catch (error) {
      throw new PrintFailure('not_available', `the Windows spooler (${this.libraryPath}) cannot be loaded: ${String(error)}`);
    }
    const out: unknown[] = [null];
    await must('OpenPrinterW', spooler.open, printerName, out, null);
    const printer = out[0];
    try {
      const flags = [0];
      // A print server that cannot say its status is no reason to hold the slip back.
      if ((await call(spooler.getPrinter, printer, 6, flags, 4, [0])).result) {
        const refused = statusRefusal(flags[0]!);
        if (refused) throw refused;
      }
      const job = await call(spooler.startDoc, printer, 1, { pDocName: DOC_NAME, pOutputFile: null, pDatatype: 'RAW' });
      if (!job.result) throw spoolerFailure('StartDocPrinterW', job.error);
      const failure = await this.writePage(spooler, printer, bytes).then(
        () => undefined,
        (error: unknown) => error,
      );
      // The document is ended whatever the page did; after a good page, its failure is the job's.
      const ended = await call(spooler.endDoc, printer);
      if (failure) throw failure;
      if (!ended.result) throw spoolerFailure('EndDocPrinter', ended.error);
    } finally {
      await call(spooler.close, printer);
    }
  }

  private async writePage(spooler: Spooler, printer: unknown, bytes: Buffer): Promise<void> {
    await must('StartPagePrinter', spooler.startPage, printer);
    const written = [0];
    const wrote = await call(spooler.write, printer, bytes, bytes.length, written);
    await call(spooler.endPage, printer);
    if (!wrote.result) throw spoolerFailure('WritePrinter', wrote.error);
    if (written[0] !== bytes.length)
      throw new PrintFailure('print_failed', `WritePrinter wrote ${written[0]} of ${bytes.length} bytes`);
  }
}
