import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebApp } from '../support/web-app';
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

test.describe('a lost secret store', () => {
  test.use({
    app: async ({}, use) => {
      // A window that had indexed an ID number (the demo's) and then lost secrets.sealed.
      const dataDir = mkdtempSync(join(tmpdir(), 'tw-e2e-'));
      const first = await startWebApp({ TICKET_WINDOW_DATA_DIR: dataDir });
      await first.stop();
      rmSync(join(dataDir, 'secrets.sealed'));
      const app = await startWebApp({ TICKET_WINDOW_DATA_DIR: dataDir });
      await use(app);
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });

  test('is shown to the staff and the supervisor until the supervisor acknowledges it', async ({ page }) => {
    await expect(page.getByTestId('secrets-lost')).toContainText('请重新导入票券文件');
    await page.getByTestId('supervisor-entry').click();
    await page.getByTestId('pin-input').fill('246810');
    await page.getByTestId('pin-repeat').fill('246810');
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('secrets-lost-ack').click();
    await expect(page.getByTestId('secrets-lost')).toHaveCount(0);
    await page.getByTestId('supervisor-lock').click();
    await expect(page.getByTestId('manual-input')).toBeVisible();
    await expect(page.getByTestId('secrets-lost')).toHaveCount(0);
  });
});
