import { test as base } from '@playwright/test';
import { startWebApp, type RunningWebApp } from '../support/web-app';

/** Every test gets its own server process and data folder, and a page already signed in. */
export const test = base.extend<{ app: RunningWebApp }>({
  app: async ({}, use) => {
    const app = await startWebApp();
    await use(app);
    await app.stop();
  },
  page: async ({ page, app }, use) => {
    await page.goto(app.loginUrl);
    await use(page);
  },
});

export { expect } from '@playwright/test';
