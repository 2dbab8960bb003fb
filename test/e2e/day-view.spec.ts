import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

async function scan(page: Page, text: string) {
  await page.getByTestId('manual-input').fill(text);
  await page.getByTestId('manual-input').press('Enter');
}

/** The Beijing hour of this moment, as the day view buckets it. */
const beijingHour = () => new Date(Date.now() + 8 * 3_600_000).getUTCHours();

test('day view: the chart shows the scans in their Beijing hour, with the peak; operators are added; in both languages', async ({
  page,
}) => {
  await scan(page, 'TW1000000003');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await scan(page, '8000004478714899970');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  // Refused as already used: a scan, not an entry.
  await scan(page, 'TW1000000007');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-reason', 'already_used');

  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('tab-day').click();

  const chart = page.getByTestId('hour-chart');
  await expect(chart).toBeVisible();
  const hour = beijingHour();
  await expect(chart).toHaveAttribute('data-peak-hour', String(hour));
  await expect(chart).toHaveAttribute('data-total', '2');
  const bars = chart.locator('rect[data-hour]');
  await expect(bars).toHaveCount(24);
  const data = await bars.evaluateAll((rects) =>
    rects.map((r) => ({ hour: Number(r.dataset.hour), entries: Number(r.dataset.entries), peak: r.dataset.peak })),
  );
  expect(data).toEqual(
    Array.from({ length: 24 }, (_, h) => ({ hour: h, entries: h === hour ? 2 : 0, peak: String(h === hour) })),
  );
  // The bar is drawn to scale: the one with entries is the tallest, the others flat.
  const heights = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
  expect(heights[hour]).toBeGreaterThan(100);
  expect(heights.filter((_, h) => h !== hour).every((height) => height === 0)).toBe(true);
  await expect(page.getByTestId('fig-scans')).toHaveText('3');
  await expect(page.getByTestId('fig-entries')).toHaveText('2');
  // Already used is its own outcome (issue 13), not counted among the refused.
  await expect(page.getByTestId('day-outcome-already_used')).toHaveText('1');
  await expect(page.getByTestId('day-outcome-refused')).toHaveText('0');
  await expect(page.getByTestId('hour-chart-peak')).toContainText('高峰');
  await page.screenshot({ path: 'test-results/day-view/1366x768-day-zh.png' });

  // The day's CSV holds the three scans.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-day').click();
  await download;
  await expect(page.getByTestId('export-day-done')).toContainText('3');

  await page.getByTestId('tab-operators').click();
  await page.getByTestId('add-staff-no').fill('A017');
  await page.getByTestId('add-name').fill('王芳');
  await page.getByTestId('add-pin').fill('1357');
  await page.getByTestId('add-repeat').fill('1357');
  await page.getByTestId('add-submit').click();
  await expect(page.getByTestId('add-error')).toHaveText('PIN 须为 6–12 位数字');
  await page.getByTestId('add-pin').fill('135790');
  await page.getByTestId('add-repeat').fill('135790');
  await page.getByTestId('add-submit').click();
  await expect(page.locator('[data-testid=operator-row][data-staff-no=A017]')).toContainText('王芳');
  // The same 工号 again: the core refuses it, in the staff's language.
  await page.getByTestId('add-staff-no').fill('A017');
  await page.getByTestId('add-name').fill('王芳');
  await page.getByTestId('add-pin').fill('135790');
  await page.getByTestId('add-repeat').fill('135790');
  await page.getByTestId('add-submit').click();
  await expect(page.getByTestId('add-error')).toHaveText('该工号已存在');
  const a017 = page.locator('[data-testid=operator-row][data-staff-no=A017]');
  await a017.getByTestId('operator-disable').click();
  await expect(a017.getByTestId('operator-state')).toHaveText('已停用');
  // The last supervisor cannot be disabled.
  await page.locator('[data-testid=operator-row][data-staff-no="0001"]').getByTestId('operator-disable').click();
  await expect(page.getByTestId('operators-notice')).toContainText('最后一名主管');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('tab-day').click();
  await expect(page.getByTestId('hour-chart-peak')).toContainText('peak');
  await page.screenshot({ path: 'test-results/day-view/1366x768-day-en.png' });
});
