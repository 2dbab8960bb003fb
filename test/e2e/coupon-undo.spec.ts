import { expect, test } from './fixtures';

// Demo coupon 100000000001 (electron/sandbox/coupon-book.ts): one adult ticket of ¥99, verified at once.
test('undo from history: verify a demo coupon, undo it as supervisor with a reason, see it undone', async ({ page }) => {
  await page.getByTestId('manual-input').fill('100000000001');
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');

  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('supervisor-screen')).toBeVisible();

  const row = page.getByTestId('history-row').first();
  await expect(row).toContainText('成人门票（团购）');
  await expect(row).toContainText('99.00');
  // The hour since the verify counts down beside the button.
  await expect(row.getByTestId('undo-left')).toContainText(/剩余 59 分|剩余 60 分/);
  await row.getByTestId('undo-button').click();
  // A reason is required: too short is refused before anything is sent.
  await row.getByTestId('undo-reason').fill('x');
  await row.getByTestId('undo-confirm').click();
  await expect(row).toContainText('请填写撤销原因');
  await row.getByTestId('undo-reason').fill('游客买错票');
  await row.getByTestId('undo-reason').press('Enter');

  await expect(row).toContainText('已撤销核销');
  await expect(row.getByTestId('undo-cell')).toHaveAttribute('data-undo', 'undone');
  await expect(row.getByTestId('undo-cell')).toContainText('已撤销（0001：游客买错票）');
  // Undone is its own outcome in the filter.
  await page.getByTestId('filter-outcome').selectOption('undone');
  await page.getByTestId('history-apply').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('filter-outcome').selectOption('verified');
  await page.getByTestId('history-apply').click();
  await expect(page.getByTestId('history-row')).toHaveCount(0);
});
