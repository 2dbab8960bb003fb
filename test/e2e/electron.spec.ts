import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

// The real Electron app, end to end: .github/workflows/electron-e2e.yml runs it on Windows and on
// Linux under xvfb-run, after `npm run build` and Electron's own binary download.
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : undefined;
const root = resolve(import.meta.dirname, '../..');

test.skip(!binary || !existsSync(binary), 'no Electron binary on this machine (it cannot be downloaded here)');
test.skip(!existsSync(join(root, 'dist/main/index.cjs')), 'run `npm run build` first');

const DEMO_ORDER = '8000004478714899970';
const PIN = '246810';

test('the Electron app starts in demo mode, verifies a demo order, unlocks supervisor mode and quits cleanly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: [root],
    env: { ...process.env, TICKET_WINDOW_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
  });
  const exited = new Promise<number | null>((done) => app.process().once('exit', (code) => done(code)));
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('mode')).toHaveText('演示模式');
    // The page gets the contract and nothing of Node.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    await page.getByTestId('manual-input').fill(DEMO_ORDER);
    await page.getByTestId('manual-input').press('Enter');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');

    // First run sets the PIN (and unlocks); after a lock the same PIN unlocks again.
    await page.getByTestId('supervisor-entry').click();
    await page.getByTestId('pin-input').fill(PIN);
    await page.getByTestId('pin-repeat').fill(PIN);
    await page.getByTestId('pin-submit').click();
    await expect(page.getByTestId('supervisor-screen')).toBeVisible();
    await page.getByTestId('supervisor-lock').click();
    await page.getByTestId('supervisor-entry').click();
    await page.getByTestId('pin-staff-no').fill('0001');
    await page.getByTestId('pin-input').fill(PIN);
    await page.getByTestId('pin-submit').click();
    await expect(page.getByTestId('supervisor-screen')).toBeVisible();
    await expect(page.getByTestId('history-row').first()).toContainText(DEMO_ORDER);
  } finally {
    await app.close();
  }
  // Quitting is app.quit(), not a kill: the process ends by itself, with success.
  expect(await exited).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});
