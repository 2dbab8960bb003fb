import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { EscPosPrinter } from '../support/stand-ins/escpos-printer';
import { startStandInService } from '../support/stand-ins/reader-service';
import { expect, test } from './fixtures';

/** Supervisor → devices; the first time, the PIN is set (typed twice), later 0001 signs in with it. */
async function openDevices(page: Page, { firstTime = true } = {}) {
  await expect(page.getByTestId('mode')).toBeVisible();
  await page.getByTestId('supervisor-entry').click();
  if (!firstTime) await page.getByTestId('pin-staff-no').fill('0001');
  await page.getByTestId('pin-input').fill('246810');
  if (firstTime) await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('tab-devices').click();
  await expect(page.getByTestId('devices-page')).toBeVisible();
}

/** Points the printer panel at the stand-in printer on 127.0.0.1, in the given mode, and saves. */
async function setPrinter(page: Page, printer: EscPosPrinter, mode: '每次核销放行后打印' | '仅在历史记录中手动打印') {
  const panel = page.getByTestId('printer-panel');
  await page.getByTestId('printer-mode').selectOption({ label: mode });
  await page.getByTestId('printer-kind').selectOption('network');
  await panel.getByLabel('打印机地址（局域网 IP 或主机名）').fill('127.0.0.1');
  await panel.getByLabel('端口', { exact: true }).fill(String(printer.port));
  await panel.getByLabel('景区名称（小票抬头）').fill('青城山景区');
  await panel.getByRole('button', { name: '保存打印设置' }).click();
  await expect(panel.getByRole('status')).toHaveText('已保存');
}

async function until(check: () => boolean, ms: number, what: string) {
  await expect.poll(check, { timeout: ms, message: what }).toBe(true);
}

test('devices page: the reader set up on the page shows the stand-in service live; a test print arrives at the stand-in printer', async ({
  page,
}) => {
  const service = await startStandInService();
  const printer = await EscPosPrinter.start();
  try {
    await openDevices(page);
    const reader = page.getByTestId('reader-panel');
    await expect(reader).toContainText('键盘模式的读卡器像扫码枪一样输入号码');
    await page.getByTestId('reader-kind').selectOption('local_service');
    await reader.getByLabel('服务地址（仅限本机）').fill(service.httpUrl);
    await reader.getByLabel('身份证号字段').fill('resultContent.certNumber');
    await reader.getByLabel('轮询间隔（毫秒）').fill('100');
    // Each device's save says which device it saves (the reader's said "保存打印设置").
    await expect(page.getByTestId('reader-save')).toHaveText('保存读卡器设置');
    await page.getByTestId('reader-save').click();
    const status = reader.getByTestId('reader-status');
    await expect(status).toContainText('状态: 已连接 · 无卡 · 尚未读卡');
    await service.unplug();
    await expect(status).toHaveAttribute('data-connected', 'false');
    await expect(reader.getByTestId('reader-error')).toContainText('读卡服务无响应，请确认厂商服务已启动');

    await setPrinter(page, printer, '仅在历史记录中手动打印');
    await page.getByRole('button', { name: '打印测试小票' }).click();
    await until(() => printer.slips.length === 1, 15_000, 'the test slip');
    const slip = printer.slips[0]!;
    expect(printer.errors).toEqual([]);
    expect(slip.lines[0]).toBe('青城山景区');
    expect(slip.lines).toContain('测试小票：打印机工作正常');
    expect(slip.cut).toBe(0x42);
    await expect(page.getByTestId('printer-status')).toHaveText('就绪 · 等待打印：0 张');

    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByTestId('tab-devices')).toHaveText('Devices');
    await expect(reader.getByTestId('reader-error')).toContainText('The reader service does not answer');
    await expect(page.getByTestId('printer-status')).toContainText('Ready');
  } finally {
    await service.close();
    await printer.close();
  }
});

test('scanner test box: a fast burst with its suffix reads as a scan with its timing, and is not verified; slow keys read as typing', async ({
  page,
}) => {
  await openDevices(page);
  const box = page.getByTestId('scanner-test');
  await box.click();
  await page.keyboard.type('TW1000000001', { delay: 2 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scanner-test-verdict')).toHaveText('识别为扫码：TW1000000001');
  await expect(page.getByTestId('scanner-test-summary')).toContainText('13 个按键');
  await expect(box.locator('tbody tr')).toHaveCount(13);
  await expect(box.locator('tbody tr').first()).toContainText('KeyT');

  await page.keyboard.type('TW10', { delay: 120 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('scanner-test-verdict')).toHaveAttribute('data-verdict', 'typed');

  // Nothing typed in the box reached the scan path.
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(0);
});

test('a printer save the core refuses keeps what the supervisor typed, with the reason beside it', async ({ page }) => {
  await openDevices(page);
  const panel = page.getByTestId('printer-panel');
  await page.getByTestId('printer-kind').selectOption('network');
  const host = panel.getByLabel('打印机地址（局域网 IP 或主机名）');
  // Outside the site network: the core refuses it, so that a slip never goes to the internet.
  await host.fill('8.8.8.8');
  await panel.getByRole('button', { name: '保存打印设置' }).click();
  await expect(panel.locator('.sup-error')).toHaveText('输入不符合要求');
  await expect(host).toHaveValue('8.8.8.8');
});

let browser: Browser | undefined;
test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

test("camera preview plays Chromium's fake camera, lists it, and releases it when stopped", async ({ app }) => {
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await page.goto(app.loginUrl);
  await openDevices(page);
  await page.getByTestId('camera-preview').click();
  const video = page.getByTestId('camera-preview-video');
  await expect(video).toHaveAttribute('data-live', 'true');
  const first = await video.evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, time: v.currentTime }));
  expect(first.width).toBeGreaterThan(0);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(first.time);
  await expect(page.getByTestId('devices-camera-select').locator('option')).not.toHaveCount(1);
  const stream = await video.evaluate((v: HTMLVideoElement) => {
    Object.assign(window, { previewStream: v.srcObject });
    return (v.srcObject as MediaStream).getVideoTracks()[0]!.readyState;
  });
  expect(stream).toBe('live');
  await page.getByTestId('camera-preview').click();
  await expect(video).toHaveCount(0);
  const after = await page.evaluate(
    () => (window as unknown as { previewStream: MediaStream }).previewStream.getVideoTracks()[0]!.readyState,
  );
  expect(after).toBe('ended');
});

test('an admitted verify prints its slip; with the printer off the answer is not held up, the slip waits and the page says so, then prints once', async ({
  page,
}) => {
  const printer = await EscPosPrinter.start();
  try {
    await openDevices(page);
    await setPrinter(page, printer, '每次核销放行后打印');
    await page.getByTestId('supervisor-lock').click();

    const scan = async (code: string) => {
      await page.getByTestId('manual-input').fill(code);
      await page.getByTestId('manual-input').press('Enter');
    };
    await scan('TW1000000001');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
    await until(() => printer.slips.length === 1, 15_000, 'the slip of the verify');
    expect(printer.errors).toEqual([]);
    const slip = printer.slips[0]!;
    expect(slip.lines[0]).toBe('青城山景区');
    expect(slip.lines).toContain('人数：1');
    const verifyLine = slip.lines.find((l) => l.startsWith('核销号：'));
    expect(verifyLine).toMatch(/^核销号：\S+$/);
    expect(slip.qr).toHaveLength(1);
    expect(slip.qr[0]).toMatchObject({ data: verifyLine!.slice('核销号：'.length), printed: true });
    expect(slip.cut).toBe(0x42);

    await printer.setMode('off');
    const connections = printer.connections;
    await scan('TW1000000002');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
    // The answer came without the printer: it was never reached (it is off) before the answer showed.
    expect(printer.connections).toBe(connections);
    // The staff see why their slip did not come, in their language, beside the answer.
    await expect(page.getByTestId('printer-staff-status')).toHaveText(
      '小票未打印（1 张等待）：无法连接打印机（未开机、未联网或地址错误）',
      { timeout: 15_000 },
    );
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');

    await openDevices(page, { firstTime: false });
    const status = page.getByTestId('printer-status');
    await expect(status).toContainText('离线（无法连接或无应答） · 等待打印：1 张');
    await expect(status).toContainText('无法连接打印机');
    await printer.setMode('ready');
    await until(() => printer.slips.length === 2, 30_000, 'the waiting slip once the printer is back');
    await expect(status).toContainText('就绪 · 等待打印：0 张');
    expect(printer.slips[1]!.lines).toContain('人数：1');
    expect(printer.errors).toEqual([]);
  } finally {
    await printer.close();
  }
});
