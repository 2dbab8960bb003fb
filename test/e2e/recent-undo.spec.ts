import { expect, test } from './fixtures';

// Demo coupon 100000000001 (electron/sandbox/coupon-book.ts): one adult ticket of ¥99, verified at once.
test('undo from the recent list: the supervisor 工号 + PIN at the staff screen, then history shows it undone', async ({
  page,
}) => {
  // The first supervisor (0001) and its PIN exist; the window is back on the staff screen.
  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('supervisor-lock').click();

  await page.getByTestId('manual-input').fill('100000000001');
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');

  const item = page.getByTestId('recent').locator('li').first();
  await expect(item.getByTestId('undo-left')).toContainText(/剩余 59 分|剩余 60 分/);
  await item.getByTestId('recent-undo-button').click();
  // Keyboard only: the reason first, then 工号 and PIN.
  await expect(page.getByTestId('recent-undo-reason')).toBeFocused();
  // A reason is required, checked before the PIN is even sent.
  await page.getByTestId('recent-undo-reason').fill('x');
  await page.getByTestId('pin-staff-no').fill('0001');
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toContainText('请填写撤销原因');
  // A wrong PIN opens nothing and undoes nothing.
  await page.getByTestId('recent-undo-reason').fill('游客买错票');
  await page.getByTestId('pin-input').fill('999999');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toBeVisible();
  await expect(item.getByTestId('recent-undo-button')).toBeVisible();

  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-input').press('Enter');
  await expect(item.getByTestId('undo-state')).toHaveAttribute('data-undo', 'undone');
  await expect(item.getByTestId('undo-state')).toContainText('已撤销（0001：游客买错票）');
  // The staff screen stayed the staff's: the session opened for the undo is locked again.
  await expect(page.getByTestId('supervisor-screen')).toHaveCount(0);

  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-staff-no').fill('0001');
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-submit').click();
  const row = page.getByTestId('history-row').first();
  await expect(row.getByTestId('undo-cell')).toHaveAttribute('data-undo', 'undone');
  await expect(row).toContainText('已撤销核销');
  // Audited in the supervisor's 工号, with the reason.
  await page.getByTestId('tab-audit').click();
  await expect(page.getByTestId('audit').locator('tr', { hasText: '游客买错票' })).toContainText('0001');
});
