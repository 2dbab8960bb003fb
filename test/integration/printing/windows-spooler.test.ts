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

async function setUp(printerName: string) {
  built.spooler.install(PRINTER);
  const orders = todaysOrders(2);
  const target: PrinterSetting['target'] = { kind: 'windows', printerName, via: 'raw' };
  harness = await startHarness({
    orders,
    winspoolPath: built.libraryPath,
    settings: {
      windowName: '东门3号窗口',
      defaultOperatorNo: 'A-17',
      printer: { mode: 'after_verify', spotName: '青城山景区', target },
    },
  });
  return { harness, orderIds: orders.map((o) => o.order_id) };
}
const status = (h: Harness) => h.core.routes['devices.printer.status']({}) as PrinterStatus;

// The spooler calls in the order Microsoft documents for raw data, one job per slip.
const ONE_JOB = [
  `OpenPrinterW ${PRINTER}`,
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
    built.spooler.failWrites(1);
    await h.core.routes['scan.submit']({ raw: orderIds[1]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'print_failed', 10_000, 'the failed write');
    expect(status(h).waiting).toBe(1);
    await until(() => status(h).waiting === 0, 15_000, 'the retry');
    expect(built.spooler.takeCalls()).toEqual([...ONE_JOB, ...ONE_JOB]);
    expect(built.spooler.openHandles()).toBe(0);
    expect(EscPosPrinter.parse(built.spooler.document()).slips).toHaveLength(1);
  });

  it('a printer name Windows does not know is reported unreachable and nothing is spooled', async () => {
    const { harness: h, orderIds } = await setUp('No Such Printer');
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).lastError?.problem === 'unreachable', 10_000, 'the refused open');
    expect(status(h)).toMatchObject({ state: 'offline', waiting: 1 });
    expect(built.spooler.takeCalls()[0]).toBe('OpenPrinterW No Such Printer');
    expect(built.spooler.document()).toHaveLength(0);
  });
});
