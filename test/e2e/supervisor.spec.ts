import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

const DEMO_ORDER = '8000004478714899970';

test('supervisor: set the PIN, unlock, see a demo scan in history, export it as CSV, lock', async ({ page }) => {
  await page.getByTestId('manual-input').fill(DEMO_ORDER);
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');

  // First run: the supervisor button offers to set a PIN, and setting it unlocks.
  await page.getByTestId('supervisor-entry').click();
  await expect(page.getByRole('dialog')).toContainText('设置主管 PIN');
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('supervisor-screen')).toBeVisible();
  await page.getByTestId('supervisor-lock').click();
  await expect(page.getByTestId('manual-input')).toBeVisible();

  // From now on the PIN is asked for; a wrong one is refused.
  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-staff-no').fill('0001');
  await page.getByTestId('pin-staff-no').press('Enter');
  await page.getByTestId('pin-input').fill('111111');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toContainText('PIN 错误');
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('supervisor-screen')).toBeVisible();

  const row = page.getByTestId('history-row').first();
  await expect(row).toContainText(DEMO_ORDER);
  await expect(row).toContainText('已核销');
  await row.click();
  await expect(page.locator('.sup-detail')).toContainText('logid');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^history-\d{12}\.csv$/);
  const bytes = readFileSync((await file.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain(DEMO_ORDER);
  await expect(page.getByTestId('export-csv-done')).toContainText('1');

  await page.getByTestId('supervisor-lock').click();
  await expect(page.getByTestId('supervisor-screen')).toHaveCount(0);
  await expect(page.getByTestId('manual-input')).toBeVisible();
});
