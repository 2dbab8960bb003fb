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

test("a demo coupon's QR, opened from the demo list and shown to the webcam, is verified once", async ({ app, page }) => {
  // A new colleague opens the demo coupon's QR from the list on the scan screen.
  await page.getByTestId('demo-qr-1090000000000000001').click();
  await expect(page.getByTestId('demo-qr-image')).toBeVisible();
  const link = (await page.getByTestId('demo-qr-link').textContent())!.trim();
  // The embedded sandbox's short link: a trusted host in demo mode, nothing else is fetched.
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\w+\/$/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('demo-qr')).toHaveCount(0);

  // ...and holds it up to the webcam of the window.
  video = await qrVideo(link, { blankFirst: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: fakeCameraArgs(video) });
  const camera = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await camera.goto(app.loginUrl);
  await camera.getByTestId('camera-toggle').click();
  await expect(camera.getByTestId('camera-view')).toHaveAttribute('data-live', 'true');
  const answer = camera.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(camera.getByTestId('answer-project')).toHaveText('成人门票（团购）');

  // The QR stays in front of the camera: no second scan, no second verify.
  await camera.waitForTimeout(1500);
  await expect(answer).toHaveAttribute('data-seq', '1');
  await expect(camera.getByTestId('recent').locator('li')).toHaveCount(1);

  // After the verify the visitor's QR is a new one, as Douyin's is.
  await page.getByTestId('demo-qr-1090000000000000001').click();
  await expect(page.getByTestId('demo-qr-link')).not.toHaveText(link);
});
