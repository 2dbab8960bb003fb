import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE } from '../../../shared/ipc/api';
import { dispatch, type Routes } from '../../../electron/core/dispatch';
import { isTrustedSender, registerIpc } from '../../../electron/main/ipc';
import { isAppUrl } from '../../../electron/main/origin';

vi.mock('electron', () => ({}));

const STATUS = { mode: 'demo' };

function wired() {
  const routes = {
    'app.status': vi.fn(() => STATUS),
    'scan.recent': vi.fn(() => []),
  } as unknown as Routes;
  let handler: ((event: unknown, channel: unknown, input: unknown) => Promise<unknown>) | undefined;
  const ipcMain = { handle: vi.fn((name: string, h: typeof handler) => name === IPC_INVOKE && (handler = h)) };
  registerIpc(ipcMain as unknown as IpcMain, (channel, input) => dispatch(routes, channel, input));
  const call = (frame: unknown, channel: unknown, input: unknown) => handler!({ senderFrame: frame }, channel, input);
  return { routes, call };
}

const ourFrame = { url: 'app://ticket-window/index.html', parent: null };

describe('IPC from the renderer', () => {
  it('reaches the route from our own main frame', async () => {
    const { routes, call } = wired();
    await expect(call(ourFrame, 'app.status', {})).resolves.toEqual({ ok: true, value: STATUS });
    expect(routes['app.status']).toHaveBeenCalledTimes(1);
  });

  it('refuses a foreign origin, and the route never runs', async () => {
    const { routes, call } = wired();
    for (const url of [
      'https://evil.example/',
      'app://ticket-window.evil.example/index.html',
      'app://evil@ticket-window/index.html',
      'app://other/index.html',
      'file:///C:/Program%20Files/Ticket%20Window/resources/app.asar/dist/renderer/index.html',
      'http://127.0.0.1:5178/',
      'devtools://devtools/bundled/index.html',
    ]) {
      await expect(call({ url, parent: null }, 'app.status', {}), url).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(routes['app.status']).not.toHaveBeenCalled();
  });

  it('refuses a subframe even of our own origin', async () => {
    const { routes, call } = wired();
    const sub = { url: 'app://ticket-window/index.html', parent: ourFrame };
    await expect(call(sub, 'app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(routes['app.status']).not.toHaveBeenCalled();
  });

  it('refuses a message whose frame is gone', async () => {
    const { routes, call } = wired();
    await expect(call(null, 'app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(call(undefined, 'app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(routes['app.status']).not.toHaveBeenCalled();
  });

  it('never calls a route with input that fails its schema', async () => {
    const { routes, call } = wired();
    for (const input of [{ limit: 'ten' }, { limit: 10, extra: true }, { limit: 1e9 }, null, 'x']) {
      await expect(call(ourFrame, 'scan.recent', input)).resolves.toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect(routes['scan.recent']).not.toHaveBeenCalled();
  });

  it('refuses an unknown or non-string channel', async () => {
    const { call } = wired();
    await expect(call(ourFrame, 'constructor', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    await expect(call(ourFrame, { toString: () => 'app.status' }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
  });
});

describe('our origin', () => {
  it('is app://ticket-window exactly, whatever Node thinks of custom schemes', () => {
    expect(isAppUrl('app://ticket-window/index.html')).toBe(true);
    expect(isAppUrl('app://ticket-window')).toBe(true);
    expect(isAppUrl('app://ticket-window:8080/')).toBe(false);
    expect(isAppUrl('app://ticket-window.evil/')).toBe(false);
    expect(isAppUrl('apps://ticket-window/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
  it('trusts only a main frame of that origin', () => {
    expect(isTrustedSender(ourFrame as never)).toBe(true);
    expect(isTrustedSender({ url: ourFrame.url, parent: ourFrame } as never)).toBe(false);
  });
});
