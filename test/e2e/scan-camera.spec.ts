import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_PATH } from '../support/chromium';
import { fakeCameraArgs, qrVideo } from '../support/qr-video';
import { expect, test } from './fixtures';

let browser: Browser | undefined;
let video: string | undefined;
test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
  if (video) rmSync(dirname(video), { recursive: true, force: true });
});

test('a QR code held up to the webcam is verified, once, and the camera stops when turned off', async ({ app }) => {
  video = await qrVideo('TW1000000002');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: fakeCameraArgs(video) });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // Keeps every stream the page opens, to see them all stopped at the end.
  await page.addInitScript(() => {
    const streams: MediaStream[] = [];
    Object.assign(window, { testStreams: streams });
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      streams.push(stream);
      return stream;
    };
  });
  await page.goto(app.loginUrl);
  await expect(page.getByTestId('mode')).toBeVisible();

  // No camera is asked for until the staff turn it on.
  await expect(page.getByTestId('camera-view')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { testStreams: MediaStream[] }).testStreams.length)).toBe(0);

  await page.getByTestId('camera-toggle').click();
  await expect(page.getByTestId('camera-view')).toHaveAttribute('data-live', 'true');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer-project')).toHaveText('入园门票');
  await expect(page.getByTestId('recent').locator('li').first()).toContainText('TW1000000002');

  // The code stays in front of the camera: no second scan.
  await page.waitForTimeout(1500);
  await expect(answer).toHaveAttribute('data-seq', '1');
  await expect(page.getByTestId('recent').locator('li')).toHaveCount(1);

  // The chooser lists the camera; the choice is kept for the next run.
  const select = page.getByTestId('camera-select');
  await expect(select.locator('option')).toHaveCount(2);
  const deviceId = await select.locator('option').nth(1).getAttribute('value');
  await select.selectOption(deviceId!);
  expect(await page.evaluate(() => localStorage.getItem('tw.camera'))).toBe(deviceId);
  await expect(page.getByTestId('camera-view')).toHaveAttribute('data-live', 'true');

  await page.getByTestId('camera-toggle').click();
  await expect(page.getByTestId('camera-view')).toHaveCount(0);
  // Every track released: the camera light goes off.
  const states = await page.evaluate(() =>
    (window as unknown as { testStreams: MediaStream[] }).testStreams.flatMap((s) => s.getTracks().map((t) => t.readyState)),
  );
  expect(states.length).toBeGreaterThan(0);
  expect(new Set(states)).toEqual(new Set(['ended']));

  // Next run: the chosen camera is the one selected.
  await page.reload();
  await page.getByTestId('camera-toggle').click();
  await expect(page.getByTestId('camera-select')).toHaveValue(deviceId!);
});
