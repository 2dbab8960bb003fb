import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * A USB scanner with the Chinese input method on, as Chromium receives it: every key a keydown
 * with key "Process" and keyCode 229 whose `code` names the physical key, and the IME's
 * composition growing in the focused field. Sent through Chromium's input protocol at 1 ms a key.
 */
interface ImeKey {
  code: string;
  shift: boolean;
}

const SHIFT = 8;

function keysOf(text: string): ImeKey[] {
  return [...text].map((ch) =>
    /\d/.test(ch) ? { code: `Digit${ch}`, shift: false } : { code: `Key${ch.toUpperCase()}`, shift: ch !== ch.toLowerCase() },
  );
}

async function imeBurst(page: Page, cdp: CDPSession, keys: ImeKey[], suffix = 'Enter') {
  await expect(page.getByTestId('mode')).toBeVisible();
  let composition = '';
  const start = Date.now() / 1000;
  const sent: Promise<unknown>[] = [];
  // Sent back to back without waiting for each answer, each stamped 1 ms after the last, so the
  // page sees a scanner's pace however slow the protocol's round trips are on a busy machine.
  for (const [i, { code, shift }] of [...keys, { code: suffix, shift: false }].entries()) {
    const event = {
      key: 'Process',
      code,
      windowsVirtualKeyCode: 229,
      nativeVirtualKeyCode: 229,
      modifiers: shift ? SHIFT : 0,
      timestamp: start + i * 0.001,
    };
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...event }));
    if (code !== suffix) {
      // The IME takes the key into its composition (pinyin letters in lower case).
      composition += code.replace(/^(Key|Digit)/, '').toLowerCase();
      const text = composition;
      sent.push(cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length }));
    } else {
      // Enter commits the composition's raw letters into whatever field has the focus then.
      sent.push(cdp.send('Input.insertText', { text: composition }));
    }
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...event }));
  }
  await Promise.all(sent);
}

test('a scanner burst typed through the Chinese IME is read from its key codes, and no part of it stays in the box', async ({
  page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  const box = page.getByTestId('manual-input');
  await box.focus();
  await imeBurst(page, cdp, keysOf('TW1000000002'));
  const answer = page.getByTestId('answer');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('answer-project')).toHaveText('入园门票');
  await expect(page.getByTestId('recent').locator('li').first()).toContainText('TW1000000002');
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
  // Longer than the IME's late commit can come: the box stays empty.
  await page.waitForTimeout(500);
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('ime-notice')).toHaveCount(0);

  // An ID number with its lower-case x is read the same way, and text typed before stays.
  await box.fill('80');
  await imeBurst(page, cdp, keysOf('11010519491231002x'));
  await expect(answer).toHaveAttribute('data-seq', '2');
  await expect(answer).toHaveAttribute('data-verdict', 'verified');
  await expect(box).toHaveValue('80');
});

test('IME keys whose characters cannot be recovered scan nothing and tell the staff to switch the input method', async ({
  page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  const box = page.getByTestId('manual-input');
  await box.focus();
  // Some IMEs and remote desktops give no code with their 229 keys.
  const lost = keysOf('TW1000000002').map((k, i) => (i % 3 === 1 ? { code: '', shift: false } : k));
  await imeBurst(page, cdp, lost);
  await expect(page.getByTestId('ime-notice')).toHaveText(/输入法为中文，请切换到英文/);
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'idle');
  await expect(box).toHaveValue('');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('ime-notice')).toContainText('Switch the input method to English');

  // The next readable burst clears the notice.
  await box.focus();
  await imeBurst(page, cdp, keysOf('TW1000000001'));
  await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('ime-notice')).toHaveCount(0);
});
