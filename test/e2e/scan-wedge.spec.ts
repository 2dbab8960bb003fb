import type { Page } from '@playwright/test';
import { expect, invoke, test } from './fixtures';

// A USB scanner in keyboard mode: the whole code at 1 ms a key, then Enter. The app listens once
// it has started, which the mode badge (filled from the core's first answer) shows.
async function scanBurst(page: Page, text: string) {
  await expect(page.getByTestId('mode')).toBeVisible();
  await page.keyboard.type(text, { delay: 1 });
  await page.keyboard.press('Enter');
}

test('a scanner burst with the manual box focused verifies the ticket and leaves the box empty', async ({ page }) => {
  const box = page.getByTestId('manual-input');
  await box.focus();
  await scanBurst(page, 'TW1000000002');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(answer).toContainText('核销成功');
  await expect(page.getByTestId('answer-project')).toHaveText('入园门票');
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
  await expect(page.getByTestId('recent').locator('li').first()).toContainText('TW1000000002');
});

test('a scanner burst with focus elsewhere (a button, or nothing) is captured too', async ({ page }) => {
  await page.getByTestId('sound-toggle').focus();
  await scanBurst(page, 'TW1000000001');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer-project')).toHaveText('成人门票');
  // The Enter that ended the burst did not press the focused button.
  await expect(page.getByTestId('sound-toggle')).toHaveAttribute('aria-pressed', 'true');

  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await scanBurst(page, 'TW1000000006');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-seq', '2');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('manual-input')).toHaveValue('');
});

test('the next scan works at once after an answer, with no mouse', async ({ page }) => {
  await scanBurst(page, 'TW1000000002');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-seq', '1');
  await scanBurst(page, 'TW1000000007');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-seq', '2');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'refused');
  await expect(page.getByTestId('recent').locator('li')).toHaveCount(2);
});

test('human-speed typing in the manual box is not hijacked, and its Enter submits as typed', async ({ page }) => {
  await expect(page.getByTestId('mode')).toBeVisible();
  const box = page.getByTestId('manual-input');
  await box.focus();
  await page.keyboard.type('TW1000000004', { delay: 90 });
  await expect(box).toHaveValue('TW1000000004');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'idle');
  // Editing keys act on what was typed, in order.
  await page.keyboard.press('Backspace');
  await page.keyboard.type('4', { delay: 90 });
  await expect(box).toHaveValue('TW1000000004');
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer-project')).toHaveText('亲子门票');
  await expect(box).toHaveValue('');
});

test('a burst while a person is half-way through typing goes to the core, the typed text stays', async ({ page }) => {
  const box = page.getByTestId('manual-input');
  await box.focus();
  await expect(page.getByTestId('mode')).toBeVisible();
  await page.keyboard.type('8000', { delay: 90 });
  await page.waitForTimeout(150);
  await scanBurst(page, '11010519491231002X');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(box).toHaveValue('8000');
});

test('a refused ticket shows red with its reason: already used', async ({ page }) => {
  await scanBurst(page, 'TW1000000007');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'refused');
  await expect(answer).toHaveAttribute('data-reason', 'already_used');
  await expect(answer).toHaveClass(/answer-red/);
  await expect(page.getByTestId('answer-reason')).toHaveText('此票已使用');
  await expect(page.getByTestId('admit')).toHaveText('请勿放行');
});

test('a ticket for tomorrow shows red: too early, in zh-CN and in English', async ({ page }) => {
  await scanBurst(page, 'TW1000000005');
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-reason', 'too_early');
  await expect(answer).toHaveClass(/answer-red/);
  await expect(page.getByTestId('answer-reason')).toHaveText('未到预约日期，抖音不支持提前核销');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(answer).toContainText('Refused');
  await expect(page.getByTestId('answer-reason')).not.toHaveText('未到预约日期，抖音不支持提前核销');
});

test('an unknown code is refused red as not found', async ({ page }) => {
  await scanBurst(page, 'TW9999999999');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-reason', 'not_found');
  await expect(page.getByTestId('answer')).toHaveClass(/answer-red/);
});

test('a scanner set to send Tab after the code works the same, and focus stays put', async ({ page }) => {
  const box = page.getByTestId('manual-input');
  await box.focus();
  await page.keyboard.type('TW1000000003', { delay: 1 });
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer-project')).toHaveText('索道往返');
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
});

test("a burst while a supervisor's search box has focus is scanned, never typed into it", async ({ page }) => {
  await page.getByTestId('supervisor-entry').click();
  await page.getByTestId('pin-input').fill('246810');
  await page.getByTestId('pin-repeat').fill('246810');
  await page.getByTestId('pin-submit').click();
  const search = page.getByTestId('history-search');
  await search.focus();
  await scanBurst(page, 'TW1000000002');
  // The visitor gets the answer without waiting for the supervisor to lock.
  await expect(page.getByTestId('answer-strip')).toHaveAttribute('data-verdict', 'verified');
  await expect(search).toHaveValue('');
  // Typed by hand, the box still works.
  await page.keyboard.type('800', { delay: 80 });
  await expect(search).toHaveValue('800');
  await page.getByTestId('supervisor-lock').click();
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
});

test('a short code typed by hand with nothing focused goes to the manual box and its Enter submits it', async ({ page }) => {
  await expect(page.getByTestId('mode')).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.type('123', { delay: 120 });
  await expect(page.getByTestId('manual-input')).toHaveValue('123');
  await page.keyboard.press('Enter');
  // Not lost: the core answers it (too short to be a ticket), in words the staff can act on.
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'refused');
});

/**
 * Watches the scan's path through the page: which requests were made by the time the page's last
 * listener saw the Enter key, whether the answer panel had already rendered "working" when the
 * scan left, and whether a frame had begun since the answer was put in the DOM when the recent
 * list was asked for again.
 */
const ANSWER_PATH_PROBE = `
  const seen = (window.answerPath = { atEnter: null, pendingWhenSent: null, framedWhenListAsked: [] });
  // When the answer panel was put in the DOM, and when the latest frame began.
  let answerAt = Infinity;
  let frameAt = -Infinity;
  const everyFrame = () => { frameAt = performance.now(); requestAnimationFrame(everyFrame); };
  requestAnimationFrame(everyFrame);
  const fetchOf = window.fetch.bind(window);
  window.fetch = (url, init) => {
    if (String(url).includes('scan.submit'))
      seen.pendingWhenSent = document.querySelector('[data-testid=answer]')?.getAttribute('data-pending') ?? null;
    if (String(url).includes('scan.recent') && seen.pendingWhenSent !== null) seen.framedWhenListAsked.push(frameAt > answerAt);
    return fetchOf(url, init);
  };
  // Registered without capture: at the window it runs after the app's capture listener, and
  // after the microtasks that listener queued.
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') seen.atEnter = seen.pendingWhenSent;
  });
  // Each answer is a new panel (re-keyed): the first one that is not idle is the scan's.
  new MutationObserver(() => {
    const verdict = document.querySelector('[data-testid=answer]')?.getAttribute('data-verdict');
    if (verdict && verdict !== 'idle' && answerAt === Infinity) answerAt = performance.now();
  }).observe(document, { subtree: true, childList: true });
`;

/**
 * The probe in the page from its start, and the widest burst gap (200 ms): on a loaded machine
 * Playwright's keys can arrive tens of ms apart, which the default 50 ms would take for typing.
 */
async function watchAnswerPath(page: Page) {
  await expect(page.getByTestId('mode')).toBeVisible();
  const session = (await invoke(page, 'supervisor.pin.set', { pin: '246810' })).value?.token;
  const saved = await invoke(page, 'devices.scanner.save', { session, scanner: { suffix: 'enter', burstGapMs: 200 } });
  expect(saved.ok).toBe(true);
  await page.addInitScript({ content: ANSWER_PATH_PROBE });
  await page.reload();
}

test('a burst ending in Enter leaves for the core during that key, before the screen renders "working"', async ({ page }) => {
  await watchAnswerPath(page);
  await scanBurst(page, 'TW1000000002');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  const seen = await page.evaluate(() => (window as unknown as { answerPath: Record<string, unknown> }).answerPath);
  // Decided on the Enter itself, not by the end-of-burst timer (215 ms here: the scan had left
  // before the key's dispatch was over), and sent before the panel's "working" render.
  expect(seen.atEnter).toBe('false');
  expect(seen.pendingWhenSent).toBe('false');
});

test('the recent list is read again only after the frame that shows the answer', async ({ page }) => {
  await watchAnswerPath(page);
  await scanBurst(page, 'TW1000000002');
  await expect(page.getByTestId('recent').locator('li').first()).toContainText('TW1000000002');
  const seen = await page.evaluate(() => (window as unknown as { answerPath: { framedWhenListAsked: boolean[] } }).answerPath);
  expect(seen.framedWhenListAsked).toEqual([true]);
});
