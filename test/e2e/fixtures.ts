import { test as base, type Page } from '@playwright/test';
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

/** What a call over the web transport answers, as far as the tests read it. */
interface InvokeReply {
  ok: boolean;
  value?: { token?: string };
  error?: { code: string; detail?: string };
}

/** A call from the page, over the web transport its cookie signs in (the set-up a test needs). */
export async function invoke(page: Page, channel: string, input: unknown): Promise<InvokeReply> {
  return page.evaluate(
    async ([c, i]) =>
      (
        await fetch(`/api/invoke/${c}`, {
          method: 'POST',
          body: JSON.stringify(i),
          headers: { 'Content-Type': 'application/json' },
        })
      ).json() as Promise<InvokeReply>,
    [channel, input] as const,
  );
}

/** Typed by hand: slow enough that the wedge detector does not take it for a scanner. */
export const typeByHand = (page: Page, text: string) => page.keyboard.type(text, { delay: 90 });
