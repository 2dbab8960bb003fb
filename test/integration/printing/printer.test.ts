import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import type { PrinterSetting, PrinterStatus } from '../../../shared/domain/printer';
import { startHarness, todaysOrders, until, type Harness } from '../../support/core-harness';
import { EscPosPrinter } from '../../support/stand-ins/escpos-printer';

// Short waits for a dead printer, so the retries fit a test; the app waits seconds.
const printerTimeouts = { connectMs: 500, answerMs: 300, writeMs: 1000, spoolMs: 1000 };

let harness: Harness | undefined;
let printer: EscPosPrinter | undefined;
afterEach(async () => {
  await harness?.close();
  await printer?.close();
  harness = undefined;
  printer = undefined;
});

async function setUp(mode: PrinterSetting['mode']) {
  printer = await EscPosPrinter.start();
  const orders = todaysOrders(3);
  harness = await startHarness({
    orders,
    printerTimeouts,
    settings: {
      windowName: '东门3号窗口',
      defaultOperatorNo: 'A-17',
      printer: {
        mode,
        spotName: '青城山景区',
        target: { kind: 'network', host: '127.0.0.1', port: printer.port, confirmByStatus: true },
      },
    },
  });
  // The printer is asked how it is at start: let that settle before a test changes its mode.
  const h = harness;
  await until(() => status(h).state !== 'unknown' || mode === 'off', 5000, 'first probe');
  return { printer, harness, orderIds: orders.map((o) => o.order_id) };
}

const verifyIdsOf = (h: Harness, scanId: number) =>
  (h.core.db.prepare('SELECT verify_id FROM scan_verify_ids WHERE scan_id = ?').all(scanId) as { verify_id: string }[]).map(
    (r) => r.verify_id,
  );
// The status route answers synchronously (the desk keeps it in memory); Handlers type it as maybe-async.
const status = (h: Harness) => h.core.routes['devices.printer.status']({}) as PrinterStatus;
async function supervisor(h: Harness): Promise<string> {
  const set = await dispatch(h.core.routes, 'supervisor.pin.set', { pin: '135790' });
  if (!set.ok) throw new Error(set.error.message);
  return (set.value as { token: string }).token;
}

describe('receipt printing to an ESC/POS network printer', () => {
  it('prints a slip after an admitted verify: GB18030 text, the verify id and its QR, a cut', async () => {
    const { printer: p, harness: h, orderIds } = await setUp('after_verify');
    const answer = await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    expect(answer).toMatchObject({ verdict: 'verified', admit: true });
    await until(() => p.slips.length === 1, 10_000, 'the slip');
    const [verifyId] = verifyIdsOf(h, answer.scanId!);
    expect(verifyId).toMatch(/^[0-9a-f]{16}$/);
    const slip = p.slips[0]!;
    expect(p.errors).toEqual([]);
    expect(slip.chineseMode).toBe(true);
    expect(slip.lines[0]).toBe('青城山景区');
    expect(slip.lines).toContain('东门3号窗口');
    expect(slip.lines).toContain('人数：1');
    expect(slip.lines).toContain('工号：A-17');
    expect(slip.lines).toContain(`订单号：${orderIds[0]}`);
    expect(slip.lines).toContain(`核销号：${verifyId}`);
    expect(slip.lines.find((l) => l.startsWith('时间：'))).toMatch(/^时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）$/);
    expect(slip.qr).toEqual([{ data: verifyId, model: 0x32, moduleSize: 6, errorLevel: 0x31, printed: true }]);
    expect(slip.cut).toBe(0x42);
    // 48 columns, a Chinese character counting two.
    for (const line of slip.lines)
      expect([...line].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)).toBeLessThanOrEqual(48);
    await until(() => status(h).state === 'ready' && status(h).waiting === 0, 5000, 'ready');
    expect(status(h).lastPrintedAt).not.toBeNull();
  });

  it('a printer that is off does not delay the answer; the slip waits on disk and prints once when it is back', async () => {
    const { printer: p, harness: h, orderIds } = await setUp('after_verify');
    await p.setMode('off');
    const connectionsBefore = p.connections;
    const answer = await h.core.routes['scan.submit']({ raw: orderIds[1]!, source: 'scanner' });
    // The answer is out before printing has even begun: the printer was not contacted for it yet.
    expect(p.connections).toBe(connectionsBefore);
    expect(answer).toMatchObject({ verdict: 'verified', admit: true });
    await until(() => status(h).state === 'offline' && status(h).waiting === 1, 5000, 'offline status');
    expect(status(h)).toMatchObject({ lastError: { problem: 'unreachable' } });
    await p.setMode('ready');
    await until(() => p.slips.length === 1, 15_000, 'the slip after the printer came back');
    await until(() => status(h).waiting === 0, 5000, 'queue empty');
    expect(status(h).state).toBe('ready');
    await new Promise((r) => setTimeout(r, 500));
    expect(p.slips).toHaveLength(1);
  });

  it('a printer that accepts but never reads gets no slip counted; it prints once when it reads again', async () => {
    const { printer: p, harness: h, orderIds } = await setUp('after_verify');
    await p.setMode('deaf');
    const connectionsBefore = p.connections;
    const answer = await h.core.routes['scan.submit']({ raw: orderIds[2]!, source: 'scanner' });
    // The answer is out before printing has even begun: the printer was not contacted for it yet.
    expect(p.connections).toBe(connectionsBefore);
    expect(answer).toMatchObject({ verdict: 'verified', admit: true });
    await until(() => status(h).lastError?.problem === 'no_answer', 5000, 'no answer status');
    expect(status(h)).toMatchObject({ state: 'offline', waiting: 1 });
    expect(p.slips).toHaveLength(0);
    await p.setMode('ready');
    await until(() => p.slips.length === 1, 15_000, 'the slip');
    await until(() => status(h).waiting === 0, 5000, 'queue empty');
    expect(p.slips).toHaveLength(1);
    expect(p.errors).toEqual([]);
  });

  it('out of paper: the status says so and nothing is printed until paper is back', async () => {
    const { printer: p, harness: h, orderIds } = await setUp('after_verify');
    await p.setMode('paper_out');
    await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    await until(() => status(h).state === 'paper_out' && status(h).waiting === 1, 5000, 'paper out');
    expect(status(h)).toMatchObject({ lastError: { problem: 'paper_out' } });
    expect(p.slips).toHaveLength(0);
    await p.setMode('ready');
    await until(() => p.slips.length === 1 && status(h).waiting === 0, 15_000, 'the slip');
  });

  it('on demand: nothing prints by itself; "print slip" on a history row prints a marked reprint', async () => {
    const { printer: p, harness: h, orderIds } = await setUp('on_demand');
    const answer = await h.core.routes['scan.submit']({ raw: orderIds[0]!, source: 'scanner' });
    const session = await supervisor(h);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.slips).toHaveLength(0);
    const queued = await dispatch(h.core.routes, 'devices.printer.printScan', { session, scanId: answer.scanId });
    expect(queued).toMatchObject({ ok: true });
    await until(() => p.slips.length === 1, 10_000, 'the reprint');
    expect(p.slips[0]!.lines).toContain('** 补打小票 **');
    expect(p.slips[0]!.qr[0]!.data).toBe(verifyIdsOf(h, answer.scanId!)[0]);

    const refused = await h.core.routes['scan.submit']({ raw: '8999999999999999999', source: 'scanner' });
    expect(refused.verdict).toBe('refused');
    const notPrintable = await dispatch(h.core.routes, 'devices.printer.printScan', { session, scanId: refused.scanId });
    expect(notPrintable).toMatchObject({ ok: false, error: { code: 'conflict', detail: 'slip_not_printable' } });

    const test = await dispatch(h.core.routes, 'devices.printer.test', { session });
    expect(test).toMatchObject({ ok: true });
    await until(() => p.slips.length === 2, 10_000, 'the test slip');
    expect(p.slips[1]!.lines).toContain('测试小票：打印机工作正常');
  });

  it('refuses a printer host outside the site network', async () => {
    const { harness: h } = await setUp('off');
    const session = await supervisor(h);
    const saved = await dispatch(h.core.routes, 'devices.printer.save', {
      session,
      printer: { mode: 'after_verify', spotName: '', target: { kind: 'network', host: '8.8.8.8', port: 9100 } },
    });
    expect(saved).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});
