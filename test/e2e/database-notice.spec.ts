import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startWebApp } from '../support/web-app';

test.describe('a database repaired at start', () => {
  test.use({
    app: async ({}, use) => {
      // A window that ran, stopped, and then had garbage written over its database's header.
      const dataDir = mkdtempSync(join(tmpdir(), 'tw-e2e-'));
      const first = await startWebApp({ TICKET_WINDOW_DATA_DIR: dataDir });
      await first.stop();
      // A stop that could not checkpoint leaves a -wal holding page 1 whole, and the repair then
      // only reindexes (a different case, in the chaos suite): here the header's only copy is hit.
      for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, `ticket-window.db${suffix}`), { force: true });
      const fd = openSync(join(dataDir, 'ticket-window.db'), 'r+');
      writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
      closeSync(fd);
      const app = await startWebApp({ TICKET_WINDOW_DATA_DIR: dataDir });
      await use(app);
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });

  test('is shown to the staff and the supervisor until the supervisor acknowledges it', async ({ page }) => {
    const notice = page.getByTestId('database-notice');
    await expect(notice).toContainText('数据库文件曾损坏');
    await expect(notice).toContainText('ticket-window.db.corrupt-');
    await page.getByTestId('supervisor-entry').click();
    await page.getByTestId('pin-input').fill('246810');
    await page.getByTestId('pin-repeat').fill('246810');
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('database-notice-ack').click();
    await expect(page.getByTestId('database-notice')).toHaveCount(0);
    await page.getByTestId('supervisor-lock').click();
    await expect(page.getByTestId('manual-input')).toBeVisible();
    await expect(page.getByTestId('database-notice')).toHaveCount(0);
  });
});
