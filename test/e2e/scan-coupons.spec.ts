import { expect, test } from './fixtures';

// Demo coupons (electron/sandbox/coupon-book.ts): 100000000003 is a family ticket with three
// certificates of ¥68; 100000000001 one adult ticket of ¥99.
test('a typed Douyin coupon code with three certificates: count 2 by keyboard, 2 verified', async ({ page }) => {
  await page.getByTestId('manual-input').fill('100000000003');
  await page.getByTestId('manual-input').press('Enter');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'confirm');
  await expect(page.getByTestId('admit')).toHaveAttribute('data-admit', 'false');
  // The count box has focus with "all" selected: one digit replaces it, Enter confirms.
  await expect(page.getByTestId('coupon-count')).toBeFocused();
  await expect(page.getByTestId('coupon-count')).toHaveValue('3');
  await page.keyboard.press('2');
  await expect(page.getByTestId('coupon-count')).toHaveValue('2');
  await page.keyboard.press('Enter');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('admit')).toHaveText('放行 2 人');
  await expect(page.getByTestId('answer-coupon')).toContainText('¥136.00');
});

test('Esc at the confirm step cancels: nothing verified, said so', async ({ page }) => {
  await page.getByTestId('manual-input').fill('100000000003');
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'confirm');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-reason', 'coupon_cancelled');
  await expect(page.getByTestId('admit')).toHaveAttribute('data-admit', 'false');
});

test('a one-certificate coupon verifies at once, in English too', async ({ page }) => {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('manual-input').fill('100000000001');
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('admit')).toHaveText('Let 1 in');
  await expect(page.getByTestId('answer-coupon')).toContainText('¥99.00');
});
