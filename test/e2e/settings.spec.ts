import { expect, test } from './fixtures';

test('settings: moving the API address to another host removes the client secret and asks for it again', async ({ page }) => {
  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('tab-settings').click();

  // Nothing listens on port 9, and no scan is made: nothing leaves this machine.
  await page.getByTestId('settings-baseUrl').fill('http://127.0.0.1:9');
  await page.getByTestId('settings-clientKey').fill('awkey1234');
  await page.getByTestId('settings-clientSecret').fill('secret-for-127');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('settings-secret-needed')).toHaveCount(0);

  await page.getByTestId('settings-baseUrl').fill('http://localhost:9');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-secret-needed')).toContainText('请重新输入客户端密钥');

  // A plain-HTTP address to another machine is refused at the field, in the staff's language.
  await page.getByTestId('settings-baseUrl').fill('http://open.douyin.com');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('problem-baseUrl')).toContainText('http:// 仅限本机');

  await page.getByTestId('settings-baseUrl').fill('http://localhost:9');
  await page.getByTestId('settings-clientSecret').fill('secret-for-localhost');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('settings-secret-needed')).toHaveCount(0);
});
