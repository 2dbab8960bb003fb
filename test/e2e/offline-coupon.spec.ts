import { DEMO_POI_ID, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, startSandbox, type Sandbox } from '../../electron/sandbox';
import { startWebApp, type RunningWebApp } from '../support/web-app';
import { expect, invoke, test, typeByHand } from './fixtures';

// Demo coupon 100000000003 (electron/sandbox/coupon-book.ts): three certificates of ¥68. Here the
// sandbox runs in the test, live mode, so it can be taken offline and brought back.
let sandbox: Sandbox;
let live: RunningWebApp;
test.beforeEach(async () => {
  sandbox = await startSandbox();
  live = await startWebApp({
    DOUYIN_OPEN_BASE_URL: sandbox.url,
    DOUYIN_CLIENT_KEY: SANDBOX_CLIENT_KEY,
    DOUYIN_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    DOUYIN_SHORT_LINK_HOSTS: sandbox.coupons.shortLinkUrl,
  });
});
test.afterEach(async () => {
  await live.stop();
  await sandbox.close();
});

test('offline coupons admitted: a typed code asks the count, 2 + Enter by keyboard lets 2 in (amber), verified 2 once Douyin is back', async ({
  page,
}) => {
  await page.goto(live.loginUrl);
  const { value } = await invoke(page, 'supervisor.pin.set', { pin: '246810' });
  const session = value!.token!;
  const saved = await invoke(page, 'supervisor.settings.save', {
    session,
    settings: { poiId: DEMO_POI_ID, offlineCoupons: 'admit' },
    credentials: {},
  });
  expect(saved.ok).toBe(true);
  await invoke(page, 'supervisor.lock', { session });
  await page.reload();

  sandbox.setOffline(true);
  await page.getByTestId('manual-input').click();
  await typeByHand(page, '100000000003');
  await page.keyboard.press('Enter');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-reason', 'coupon_offline_count');
  await expect(answer).toHaveAttribute('data-verdict', 'offline');
  await expect(answer).toHaveClass(/answer-amber/);
  await expect(page.getByTestId('admit')).toHaveAttribute('data-admit', 'false');
  await expect(page.getByTestId('admit')).toHaveText('输入人数，回车后放行');
  // Nothing is known of the coupon offline: the box starts empty, with the focus.
  const box = page.getByTestId('coupon-count');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('coupon-confirm')).toHaveAttribute('data-offline', 'true');
  await page.keyboard.press('2');
  await expect(box).toHaveValue('2');
  await page.keyboard.press('Enter');

  await expect(answer).toHaveAttribute('data-reason', 'coupon_offline_admitted');
  await expect(answer).toHaveAttribute('data-verdict', 'offline');
  await expect(answer).toHaveClass(/answer-amber/);
  await expect(page.getByTestId('admit')).toHaveAttribute('data-admit', 'true');
  await expect(page.getByTestId('admit')).toHaveText('放行 2 人');
  await expect(page.getByTestId('answer-reason')).toHaveText('已离线放行，联网后按此人数补核销');

  sandbox.setOffline(false);
  await invoke(page, 'queue.wake', {});
  await expect.poll(() => sandbox.coupons.ledger().filter((r) => r.order_id === '1090000000000000002').length).toBe(2);

  await page.getByTestId('supervisor-entry').click();
  // The PIN was set above for supervisor 0001: signing in again names the 工号.
  await page.getByTestId('pin-staff-no').fill('0001');
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-input').press('Enter');
  await expect(page.getByTestId('supervisor-screen')).toBeVisible();
  const row = page.getByTestId('history-row').first();
  await expect(row).toHaveClass(/outcome-verified/);
  await expect(row).toContainText('家庭游套票');
  await expect(row.locator('td').nth(8)).toHaveText('2');
  await expect(row).toContainText('136.00');
  await row.click();
  // Its attempts: the prepares while Douyin was away, the prepare written, the verify.
  await expect(page.locator('.sup-detail')).toContainText('验券准备成功，核销请求已保存');
  await expect(page.locator('.sup-detail')).toContainText('核销成功');
});
