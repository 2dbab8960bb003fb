import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/core/security/csp';
import { registerRendererProtocol, serveRenderer } from '../../../electron/main/protocol';

vi.mock('electron', () => ({}));

const dir = mkdtempSync(join(tmpdir(), 'tw-protocol-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
writeFileSync(join(dir, 'assets/app.js'), 'console.log(1)');
writeFileSync(join(dir, '..', 'outside-secret.txt'), 'secret');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, '..', 'outside-secret.txt'), { force: true });
});

const get = (url: string) => serveRenderer(new Request(url), dir);

describe('the app:// protocol', () => {
  it('sends the strict CSP on every answer, errors included', async () => {
    for (const url of [
      'app://ticket-window/index.html',
      'app://ticket-window/',
      'app://ticket-window/assets/app.js',
      'app://ticket-window/missing.js',
      'app://ticket-window/..%2Foutside-secret.txt',
      'app://other-host/index.html',
    ]) {
      const response = await get(url);
      expect(response.headers.get('Content-Security-Policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('X-Content-Type-Options'), url).toBe('nosniff');
    }
  });
  it('serves the page and its bundle with their types', async () => {
    const page = await get('app://ticket-window/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect((await get('app://ticket-window/assets/app.js')).headers.get('Content-Type')).toContain('text/javascript');
  });
  it('serves nothing outside the renderer folder, and nothing for another host', async () => {
    expect((await get('app://ticket-window/..%2Foutside-secret.txt')).status).toBe(404);
    expect((await get('app://ticket-window/../outside-secret.txt')).status).toBe(404);
    expect((await get('app://other-host/index.html')).status).toBe(404);
  });
  it('registers the handler for the app scheme', async () => {
    const handle = vi.fn();
    registerRendererProtocol({ handle } as never, dir);
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const response: Response = await handle.mock.calls[0]![1](new Request('app://ticket-window/index.html'));
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('the CSP itself', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
  it('allows no inline script and no eval anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*/);
  });
  it('defaults to nothing and runs only our own scripts', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
  it('lets the page talk only to its own origin', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });
});
