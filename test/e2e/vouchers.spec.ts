import { businessDate } from '../../shared/time';
import { expect, test } from './fixtures';

// Demo mode's sandbox knows order 8000004478714899971 (today). A provider file gives it a new code.
const line = (code: string) =>
  JSON.stringify({
    order_id: '8000004478714899971',
    multi_store: false,
    visit_date: businessDate(Date.now()),
    voucher: { entrance: { project_id: 'a0', name: '亲子门票', qrcodes: [code] } },
  });

test('a supervisor imports a voucher file, bad lines refuse it whole, and its codes then scan', async ({ page }) => {
  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('tab-vouchers').click();

  await page.getByTestId('vouchers-file').setInputFiles({
    name: 'bad.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from(`${line('FAMILY-CODE-01')}\n{"order_id": 5}\n`),
  });
  await expect(page.getByTestId('vouchers-result')).toContainText('文件未导入');
  await expect(page.getByTestId('vouchers-result')).toContainText('第 2 行');

  await page.getByTestId('vouchers-file').setInputFiles({
    name: 'good.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from(`${line('FAMILY-CODE-01')}\n`),
  });
  await expect(page.getByTestId('vouchers-result')).toContainText('已导入 1 个订单');

  await page.getByTestId('supervisor-lock').click();
  await page.getByTestId('manual-input').fill('FAMILY-CODE-01');
  await page.getByTestId('manual-input').press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer')).toContainText('亲子门票');
});
