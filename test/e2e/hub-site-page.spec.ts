import { test as base, expect } from '@playwright/test';
import { request } from 'undici';
import { createHubClient, pairWithHub } from '../../electron/core/hub/client';
import type { LocalPostgres } from '../../hub/local-postgres';
import { businessDate } from '../../shared/time';
import { hubScan, startHubProcess, startTestPostgres, type RunningHub } from '../support/hub';
import { startWebApp } from '../support/web-app';

const ADMIN_TOKEN = 'hub-admin-token-for-e2e';

/** A real hub process on a real PostgreSQL for each test; its Douyin is never asked here. */
const test = base.extend<{ hub: RunningHub }>({
  hub: async ({}, use) => {
    const postgres: LocalPostgres = await startTestPostgres();
    const hub = await startHubProcess({
      DATABASE_URL: postgres.url,
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      DOUYIN_BASE_URL: 'http://127.0.0.1:9',
      DOUYIN_CLIENT_KEY: 'unused-key',
      DOUYIN_CLIENT_SECRET: 'unused-secret',
    });
    await use(hub);
    await hub.stop();
    await postgres.stop();
  },
});

// PostgreSQL and a hub process start per test, on a machine shared with other runs.
test.describe.configure({ timeout: 120_000 });

async function pairingCode(hubUrl: string): Promise<string> {
  const answer = await request(`${hubUrl}/admin/api/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await answer.body.json()) as { code: string }).code;
}

test('site page: a manager signs in and sees the day of two windows, entries in the right hours, by window, operator and product', async ({
  page,
  hub,
}) => {
  const day = businessDate(Date.now());
  const at = (hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);
  // Two paired windows send their history through the window's own client, as their sync does.
  const windows = [];
  for (const name of ['1号窗口', '2号窗口']) {
    const paired = await pairWithHub(hub.url, { code: await pairingCode(hub.url), name, version: '0.1.0' });
    windows.push(createHubClient({ url: hub.url, ...paired }));
  }
  const [one, two] = windows as [ReturnType<typeof createHubClient>, ReturnType<typeof createHubClient>];
  await one.pushHistory({
    throughSeq: 3,
    changes: [
      { seq: 1, kind: 'scan', scan: hubScan(1, at('09:05')) },
      { seq: 2, kind: 'scan', scan: hubScan(2, at('09:55'), { operatorNo: '0007' }) },
      { seq: 3, kind: 'scan', scan: hubScan(3, at('14:20'), { outcome: 'refused', verdict: 'refused', reason: 'not_found' }) },
    ],
  });
  await two.pushHistory({
    throughSeq: 2,
    changes: [
      { seq: 1, kind: 'scan', scan: hubScan(1, at('14:02'), { product: '儿童票', operatorNo: '0002' }) },
      {
        seq: 2,
        kind: 'scan',
        scan: hubScan(2, at('14:30'), {
          outcome: 'conflict',
          reason: 'used_elsewhere',
          siteClaim: 'lost',
          queueState: 'needs_attention',
        }),
      },
    ],
  });
  await Promise.all(windows.map((client) => client.close()));

  await page.goto(`${hub.url}/admin`);
  await expect(page.getByRole('heading', { name: '站点中心' })).toBeVisible();
  await page.getByLabel('管理员口令').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: '登录' }).click();

  const grid = page.getByTestId('day-report');
  await expect(grid.locator('th')).toHaveText(['时段', '1号窗口', '2号窗口']);
  // 09:00: two entries at window 1; 14:00: window 1 scanned once (refused), window 2 twice (one entry, one conflict).
  await expect(page.getByTestId('hour-09').locator('td')).toHaveText(['09:00', '2 / 2', '']);
  await expect(page.getByTestId('hour-14').locator('td')).toHaveText(['14:00', '0 / 1', '1 / 2']);
  await expect(page.getByTestId('hour-10')).toHaveCount(0);
  await expect(page.getByTestId('by-window').locator('tr').nth(1).locator('td')).toHaveText(['1号窗口', '2', '3']);
  await expect(page.getByTestId('by-product')).toContainText('儿童票');
  await expect(page.getByTestId('by-operator')).toContainText('0007');
  const windowRows = page.getByTestId('windows').locator('tr');
  await expect(windowRows.nth(2).locator('td').nth(5)).toHaveText('1');
  await expect(windowRows.nth(1).locator('td').nth(1)).toHaveText('0.1.0');
  await expect(page.getByTestId('conflicts')).toContainText('2号窗口');

  // The same page in English.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Site hub' })).toBeVisible();
  await expect(page.getByText('By product')).toBeVisible();
});

test('window settings: a supervisor pairs the window with the hub’s code, sees it paired, and unpairs it', async ({
  page,
  hub,
}) => {
  const app = await startWebApp();
  try {
    await page.goto(app.loginUrl);
    await page.getByTestId('supervisor-entry').click();
    await page.getByTestId('pin-input').fill('246810');
    await page.getByTestId('pin-repeat').fill('246810');
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('hub-state')).toHaveText('未配对（单窗口工作）');

    await page.getByTestId('hub-url').fill(hub.url);
    await page.getByTestId('hub-code').fill('ABCDEFGH');
    await page.getByTestId('hub-pair').click();
    await expect(page.getByTestId('hub-error')).toHaveText('配对码无效、已过期或已使用');

    await page.getByTestId('hub-code').fill((await pairingCode(hub.url)).toLowerCase());
    await page.getByTestId('hub-pair').click();
    await expect(page.getByTestId('hub-state')).toHaveText(`已配对：${hub.url}`);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('hub-unpair').click();
    await expect(page.getByTestId('hub-state')).toHaveText('未配对（单窗口工作）');
  } finally {
    await app.stop();
  }
});
