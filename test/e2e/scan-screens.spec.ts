import type { Page } from '@playwright/test';
import { startWebApp } from '../support/web-app';
import { expect, test } from './fixtures';

// The answer screen at the two sizes the windows have, one picture per verdict colour, for a
// person to look at (test-results/screens/). The assertions only check that it all fits.
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

async function scan(page: Page, text: string) {
  await expect(page.getByTestId('mode')).toBeVisible();
  const seq = Number(await page.getByTestId('answer').getAttribute('data-seq'));
  await page.keyboard.type(text, { delay: 1 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-seq', String(seq + 1));
}

async function shoot(page: Page, name: string) {
  // The answer's entry flash must be over, or the picture shows it half-way.
  await page.waitForTimeout(400);
  const { width, height } = page.viewportSize()!;
  const answer = await page.getByTestId('answer').boundingBox();
  expect(answer!.y + answer!.height).toBeLessThanOrEqual(height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: `test-results/screens/${width}x${height}-${name}.png` });
}

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('idle, green, red (already used, too early), and English', async ({ page }) => {
      await expect(page.getByTestId('mode')).toBeVisible();
      await shoot(page, 'idle');
      await scan(page, 'TW1000000003');
      await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
      await shoot(page, 'green-verified');
      await scan(page, 'TW1000000007');
      await expect(page.getByTestId('answer')).toHaveAttribute('data-reason', 'already_used');
      await shoot(page, 'red-already-used');
      await scan(page, 'TW1000000005');
      await expect(page.getByTestId('answer')).toHaveAttribute('data-reason', 'too_early');
      await shoot(page, 'red-too-early');
      await page.getByRole('button', { name: 'English' }).click();
      await shoot(page, 'red-too-early-en');
    });

    test('amber: Douyin unreachable, the scan is accepted offline', async ({ page }) => {
      // Live credentials and an address where nothing listens: every verify goes offline.
      const offline = await startWebApp({
        DOUYIN_CLIENT_KEY: 'screens',
        DOUYIN_CLIENT_SECRET: 'screens-secret',
        DOUYIN_OPEN_BASE_URL: 'http://127.0.0.1:9',
      });
      try {
        await page.goto(offline.loginUrl);
        await scan(page, '8000004478714899970');
        await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'offline');
        await shoot(page, 'amber-offline');
      } finally {
        await offline.stop();
      }
    });
  });
}
