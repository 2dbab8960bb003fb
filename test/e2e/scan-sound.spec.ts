import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

type Played = Array<{ wave: string; frequency: number }>;

async function scan(page: Page, text: string) {
  const seq = Number(await page.getByTestId('answer').getAttribute('data-seq'));
  await page.keyboard.type(text, { delay: 1 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-seq', String(seq + 1));
}

const played = (page: Page) =>
  page.evaluate(() => (window as unknown as { played: Played }).played.splice(0).map((t) => t.frequency));

test.beforeEach(async ({ page }) => {
  // Records each tone the page starts (the tones are made in code, there is nothing to fetch).
  await page.addInitScript(() => {
    const log: Played = [];
    Object.assign(window, { played: log });
    const Original = window.OscillatorNode;
    window.OscillatorNode = class extends Original {
      constructor(context: BaseAudioContext, options?: OscillatorOptions) {
        super(context, options);
        log.push({ wave: options?.type ?? 'sine', frequency: options?.frequency ?? 440 });
      }
    };
  });
  await page.reload();
  await expect(page.getByTestId('mode')).toBeVisible();
});

test('each verdict has its own sound, and the sound toggle silences them and is remembered', async ({ page }) => {
  await scan(page, 'TW1000000002');
  await expect.poll(() => played(page)).toEqual([880, 1320]);
  await scan(page, 'TW1000000005');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'refused');
  await expect.poll(() => played(page)).toEqual([220, 220, 180]);

  await page.getByTestId('sound-toggle').click();
  await expect(page.getByTestId('sound-toggle')).toHaveText('提示音：关');
  await scan(page, 'TW1000000004');
  await page.waitForTimeout(200);
  expect(await played(page)).toEqual([]);

  await page.reload();
  await expect(page.getByTestId('sound-toggle')).toHaveAttribute('aria-pressed', 'false');
});
