import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterSetting, PrinterStatus } from '../../../shared/domain/printer';
import { startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';
import { EscPosPrinter } from '../../support/stand-ins/escpos-printer';
import { buildStandInWinspool } from '../../support/stand-ins/winspool/build';
import { tempDir } from '../../support/temp';

const PRINTER = 'XP-80C';

let folder: ReturnType<typeof tempDir>;
let built: ReturnType<typeof buildStandInWinspool>;
beforeAll(() => {
  folder = tempDir('tw-winspool-');
  built = buildStandInWinspool(folder.path);
});
afterAll(() => {
  built.close();
  folder.remove();
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// Win32 error codes and PRINTER_STATUS_* flags as winspool.h and winerror.h define them.
const ERROR_ACCESS_DENIED = 5;
const ERROR_OUT_OF_PAPER = 28;
const ERROR_GEN_FAILURE = 31;
const PRINTER_STATUS_PAUSED = 0x1;

async function setUp(printerName: string, spoolMs = 15_000) {
  built.spooler.install(PRINTER);
  const orders = todaysOrders(2);
  const target: PrinterSetting['target'] = { kind: 'windows', printerName, via: 'raw' };
  harness = await startHarness({
    orders,
    winspoolPath: built.libraryPath,
    printerTimeouts: { connectMs: 3000, answerMs: 2000, writeMs: 10_000, spoolMs },
    settings: {
      windowName: '东门3号窗口',
      defaultOperatorNo: 'A-17',
      printer: { mode: 'after_verify', spotName: '青城山景区', target },
    },
  });
  return { harness, orderIds: orders.map((o) => o.order_id) };
}
const triesOfFirstSlip = (h: Harness) =>
  (h.core.db.prepare('SELECT tries FROM print_jobs ORDER BY id LIMIT 1').get() as { tries: number }).tries;
const status = (h: Harness) => h.core.routes['devices.printer.status']({}) as PrinterStatus;

// The spooler calls in the order Microsoft documents for raw data, one job per slip.
const ONE_JOB = [
  `OpenPrinterW ${PRINTER}`,
  'GetPrinterW 6',
  'StartDocPrinterW 1 Ticket Window slip RAW',
  'StartPagePrinter',
  expect.stringMatching(/^WritePrinter \d+$/),
  'EndPagePrinter',
  'EndDocPrinter',
  'ClosePrinter',
];

describe('a Windows printer by name, raw ESC/POS through the spooler (a stand-in winspool loaded by koffi)', () => {
  it('an admitted verify spools one RAW job whose bytes are the slip: GB18030 text, the QR of the verify id, a cut', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER);
    const answer = await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    expect(answer).toMatchObject({ verdict: 'verified', admit: true });
    await until(() => status(h).lastPrintedAt !== null, 10_000, 'the spooled slip');
    expect(built.spooler.takeCalls()).toEqual(ONE_JOB);
    expect(built.spooler.openHandles()).toBe(0);

    const read = EscPosPrinter.parse(built.spooler.document());
    expect(read.errors).toEqual([]);
    expect(read.slips).toHaveLength(1);
    const slip = read.slips[0]!;
    expect(slip.lines[0]).toBe('青城山景区');
    expect(slip.lines).toContain('东门3号窗口');
    expect(slip.lines).toContain(`订单号：${orderIds[0]}`);
    const verifyId = slip.lines.find((l) => l.startsWith('核销号：'))!.slice('核销号：'.length);
    expect(slip.qr).toEqual([{ data: verifyId, model: 0x32, moduleSize: 6, errorLevel: 0x31, printed: true }]);
    expect(slip.cut).toBe(0x42);
    expect(status(h)).toMatchObject({ target: 'windows', state: 'ready', waiting: 0 });
  });

  it('a failed write ends the page, the document and the handle; the slip waits and is spooled again', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER);
    built.spooler.fail('WritePrinter', ERROR_GEN_FAILURE, 1);
    await h.core.routes['scan.submit']({ raw: orderIds[1]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'print_failed', 10_000, 'the failed write');
    expect(status(h).lastError?.detail).toBe('WritePrinter failed: Win32 error 31');
    expect(status(h).waiting).toBe(1);
    await until(() => status(h).waiting === 0, 15_000, 'the retry');
    expect(built.spooler.takeCalls()).toEqual([...ONE_JOB, ...ONE_JOB]);
    expect(built.spooler.openHandles()).toBe(0);
    expect(EscPosPrinter.parse(built.spooler.document()).slips).toHaveLength(1);
  });

  it('a printer name Windows does not know (ERROR_INVALID_PRINTER_NAME) is reported as such and nothing is spooled', async () => {
    const { harness: h, orderIds } = await setUp('No Such Printer');
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'printer_not_found', 10_000, 'the refused open');
    expect(status(h)).toMatchObject({ state: 'error', waiting: 1 });
    expect(status(h).lastError?.detail).toBe('OpenPrinterW failed: Win32 error 1801');
    expect(built.spooler.takeCalls()).toEqual(['OpenPrinterW No Such Printer']);
    expect(built.spooler.document()).toHaveLength(0);
  });

  it('access denied at OpenPrinterW and out of paper at WritePrinter are told apart, and the slip prints once they clear', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER);
    built.spooler.fail('OpenPrinterW', ERROR_ACCESS_DENIED, 1);
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'access_denied', 10_000, 'the denied open');
    expect(status(h)).toMatchObject({ state: 'error', waiting: 1 });
    built.spooler.fail('WritePrinter', ERROR_OUT_OF_PAPER, 1);
    await until(() => status(h).lastError?.problem === 'paper_out', 10_000, 'the write out of paper');
    expect(status(h)).toMatchObject({ state: 'paper_out', waiting: 1 });
    await until(() => status(h).waiting === 0, 15_000, 'the slip after both cleared');
    expect(built.spooler.takeCalls()).toEqual([`OpenPrinterW ${PRINTER}`, ...ONE_JOB, ...ONE_JOB]);
    expect(built.spooler.openHandles()).toBe(0);
  });

  it('a paused print queue (PRINTER_STATUS_PAUSED) holds the slip in our queue, not in Windows', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER);
    built.spooler.setStatus(PRINTER_STATUS_PAUSED);
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'queue_paused', 10_000, 'the paused queue');
    expect(status(h)).toMatchObject({ state: 'error', waiting: 1 });
    expect(built.spooler.takeCalls()).toEqual([`OpenPrinterW ${PRINTER}`, 'GetPrinterW 6', 'ClosePrinter']);
    built.spooler.setStatus(0);
    await until(() => status(h).waiting === 0, 15_000, 'the slip once the queue runs');
    expect(built.spooler.takeCalls()).toEqual(ONE_JOB);
  });
});

describe("a stalled spooler (a call that blocks on koffi's worker thread)", () => {
  it('a blocked WritePrinter delays no answer; the attempt times out, no second call joins it, and the slips print after it fails', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER, 300);
    built.spooler.stall('WritePrinter');
    const first = await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    expect(first).toMatchObject({ verdict: 'verified', admit: true });
    await until(() => built.spooler.stalled(), 10_000, 'the stalled write');
    // The core's event loop is free while the call is blocked: the next visitor gets an answer.
    const second = await h.core.routes['scan.submit']({ raw: orderIds[1]!, source: 'scanner' });
    expect(second).toMatchObject({ verdict: 'verified', admit: true });
    expect(built.spooler.stalled()).toBe(true);

    await until(() => status(h).lastError?.problem === 'timed_out', 10_000, 'the timed-out attempt');
    expect(status(h)).toMatchObject({ state: 'offline', waiting: 2 });
    // A retry while the call is still blocked fails at once, without a second call into the spooler.
    await until(() => triesOfFirstSlip(h) >= 2, 10_000, 'a retry during the stall');
    expect(built.spooler.stalled()).toBe(true);
    expect(built.spooler.takeCalls()).toEqual(ONE_JOB.slice(0, 5));

    built.spooler.release(false);
    await until(() => status(h).waiting === 0, 20_000, 'both slips after the stall');
    expect(built.spooler.takeCalls()).toEqual([...ONE_JOB.slice(5), ...ONE_JOB, ...ONE_JOB]);
    expect(built.spooler.openHandles()).toBe(0);
  });

  it('an EndDocPrinter that returns after the time limit, having taken the slip, counts it printed instead of printing it twice', async () => {
    const { harness: h, orderIds } = await setUp(PRINTER, 300);
    built.spooler.stall('EndDocPrinter');
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'timed_out', 10_000, 'the timed-out attempt');
    expect(status(h).waiting).toBe(1);
    built.spooler.release(true);
    await until(() => status(h).waiting === 0, 15_000, 'the late slip counted');
    expect(built.spooler.takeCalls()).toEqual(ONE_JOB);
    expect(EscPosPrinter.parse(built.spooler.document()).slips).toHaveLength(1);
    expect(status(h).state).toBe('ready');
  });
});
