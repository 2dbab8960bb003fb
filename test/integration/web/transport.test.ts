import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../electron/core/events';
import type { Routes } from '../../../electron/core/dispatch';
import { sessionCookieName, startWebTransport, type WebTransport } from '../../../electron/web/server';
import { DEFAULT_BODY_BYTES } from '../../../shared/ipc/channels/common';
import { tempDir } from '../../support/temp';

const SECRET = 'test-secret-0123456789';
let web: WebTransport;
let dir: ReturnType<typeof tempDir>;
const status = vi.fn(() => ({ hello: 'core' }));
const events = new EventHub();

beforeEach(async () => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'assets'));
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>tw</title>');
  status.mockClear();
  const routes = { 'app.status': status } as unknown as Routes;
  web = await startWebTransport({ routes, events, staticDir: dir.path, port: 0, secret: SECRET });
  cookie = `${cookieName()}=${SECRET}`;
});
afterEach(async () => {
  await web.close();
  dir.remove();
});

let cookie = '';
const cookieName = () => sessionCookieName(Number(new URL(web.origin).port));
const invoke = (headers: Record<string, string>, body = '{}') =>
  request(`${web.origin}/api/invoke/app.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('web transport', () => {
  it('listens on loopback only', () => {
    const address = web.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('answers nothing without the secret', async () => {
    const page = await request(web.url);
    expect(page.statusCode).toBe(401);
    await page.body.dump();
    const api = await invoke({});
    expect(api.statusCode).toBe(401);
    await api.body.dump();
    const wrong = await invoke({ cookie: `${cookieName()}=not-the-secret-at-all!` });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
    expect(status).not.toHaveBeenCalled();
  });

  it('trades the printed URL for an HttpOnly, SameSite cookie and drops the secret from the address', async () => {
    const login = await request(web.loginUrl);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toContain(`${cookieName()}=${SECRET}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    await login.body.dump();
    const wrong = await request(`${web.origin}/?secret=guess`);
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
  });

  it('serves the core routes and the page, with the CSP, once signed in', async () => {
    const api = await invoke({ cookie });
    expect(api.statusCode).toBe(200);
    expect(await api.body.json()).toEqual({ ok: true, value: { hello: 'core' } });
    const page = await request(web.url, { headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await page.body.dump();
  });

  it('refuses a foreign Origin (CSRF) and a foreign Host (DNS rebinding), even with the cookie', async () => {
    const origin = await invoke({ cookie, origin: 'http://evil.example' });
    expect(origin.statusCode).toBe(403);
    await origin.body.dump();
    const host = await invoke({ cookie, host: `evil.example:${new URL(web.origin).port}` });
    expect(host.statusCode).toBe(403);
    await host.body.dump();
    expect(status).not.toHaveBeenCalled();
    const own = await invoke({ cookie, origin: web.origin });
    expect(own.statusCode).toBe(200);
    await own.body.dump();
  });

  it('caps request bodies', async () => {
    const big = JSON.stringify({ raw: 'x'.repeat(DEFAULT_BODY_BYTES) });
    const res = await invoke({ cookie }, big);
    expect(res.statusCode).toBe(413);
    await res.body.dump();
    expect(status).not.toHaveBeenCalled();
  });

  it('refuses path traversal out of the renderer folder', async () => {
    const res = await request(`${web.origin}/..%2F..%2Fetc%2Fpasswd`, { headers: { cookie } });
    expect(res.statusCode).toBe(404);
    await res.body.dump();
  });

  it('streams core events to signed-in pages', async () => {
    const res = await request(`${web.origin}/api/events`, { headers: { cookie } });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const reader = res.body[Symbol.asyncIterator]();
    await reader.next(); // the ": connected" comment
    events.emit('status.changed', { mode: 'demo' } as never);
    const { value } = await reader.next();
    expect(String(value)).toContain('event: status.changed');
    expect(String(value)).toContain('"mode":"demo"');
    res.body.destroy();
  });
});
