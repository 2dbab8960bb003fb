import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

// The real Electron app, end to end. Needs an Electron binary, which these machines do not have
// and cannot download; wherever one exists (a developer's PC, the Windows release runner) it runs.
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : undefined;
const root = resolve(import.meta.dirname, '../..');

test.skip(!binary || !existsSync(binary), 'no Electron binary on this machine (it cannot be downloaded here)');
test.skip(!existsSync(join(root, 'dist/main/index.cjs')), 'run `npm run build` first');

test('the Electron app opens the scan screen in demo mode and verifies a typed order id', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: [root],
    env: { ...process.env, TICKET_WINDOW_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('mode')).toHaveText('演示模式');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await page.getByTestId('manual-input').fill('8000004478714899970');
    await page.getByTestId('manual-input').press('Enter');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
