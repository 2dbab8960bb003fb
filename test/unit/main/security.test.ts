import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { guardWebContents, hardenSession, isCameraRequest } from '../../../electron/main/security';

vi.mock('electron', () => ({}));

const APP = 'app://ticket-window/index.html';

function hardened() {
  const handlers: Record<string, (...args: any[]) => any> = {};
  const session = {
    setPermissionRequestHandler: (h: any) => (handlers.request = h),
    setPermissionCheckHandler: (h: any) => (handlers.check = h),
    setDevicePermissionHandler: (h: any) => (handlers.device = h),
  };
  hardenSession(session as unknown as Session);
  const request = (permission: string, details: Record<string, unknown>) => {
    const callback = vi.fn();
    handlers.request!({}, permission, callback, details);
    return callback.mock.calls[0]?.[0] as boolean;
  };
  const check = (permission: string, origin: string, details: Record<string, unknown> = {}) =>
    handlers.check!({}, permission, origin, details) as boolean;
  return { request, check, device: handlers.device! };
}

describe('permissions', () => {
  it('grants the camera to our own page', () => {
    expect(hardened().request('media', { requestingUrl: APP, mediaTypes: ['video'] })).toBe(true);
  });
  it('refuses the microphone, alone or with the camera', () => {
    const { request } = hardened();
    expect(request('media', { requestingUrl: APP, mediaTypes: ['audio'] })).toBe(false);
    expect(request('media', { requestingUrl: APP, mediaTypes: ['video', 'audio'] })).toBe(false);
  });
  it('refuses a media request that names no device', () => {
    const { request } = hardened();
    expect(request('media', { requestingUrl: APP, mediaTypes: [] })).toBe(false);
    expect(request('media', { requestingUrl: APP })).toBe(false);
  });
  it('refuses the camera to any other origin', () => {
    const { request } = hardened();
    for (const url of ['https://evil.example/', 'app://other/index.html', 'file:///C:/index.html', 'http://127.0.0.1:5178/']) {
      expect(request('media', { requestingUrl: url, mediaTypes: ['video'] })).toBe(false);
    }
  });
  it('refuses every other permission, even to our own page', () => {
    const { request } = hardened();
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'display-capture',
      'openExternal',
      'fullscreen',
      'midi',
    ]) {
      expect(request(permission, { requestingUrl: APP })).toBe(false);
    }
  });
  it('answers permission checks the same way: camera for our origin only, never audio', () => {
    const { check } = hardened();
    expect(check('media', 'app://ticket-window', { mediaType: 'video' })).toBe(true);
    expect(check('media', 'app://ticket-window', { mediaType: 'audio' })).toBe(false);
    expect(check('media', 'https://evil.example', { mediaType: 'video' })).toBe(false);
    expect(check('geolocation', 'app://ticket-window', {})).toBe(false);
  });
  it('refuses device (HID, serial, USB) access', () => {
    expect(hardened().device({ deviceType: 'hid', origin: 'app://ticket-window' })).toBe(false);
  });
  it('isCameraRequest needs media, our origin, and only video', () => {
    expect(isCameraRequest('media', APP, ['video'])).toBe(true);
    expect(isCameraRequest('media', undefined, ['video'])).toBe(false);
    expect(isCameraRequest('camera', APP, ['video'])).toBe(false);
  });
});

function guarded() {
  const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
  guardWebContents(contents as unknown as WebContents);
  const fire = (event: string) => {
    const preventDefault = vi.fn();
    contents.emit(event, { preventDefault }, 'https://evil.example/');
    return preventDefault;
  };
  const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
  return { fire, openHandler };
}

describe('every WebContents', () => {
  it('refuses navigation away from the page', () => {
    expect(guarded().fire('will-navigate')).toHaveBeenCalled();
  });
  it('refuses frame navigation', () => {
    expect(guarded().fire('will-frame-navigate')).toHaveBeenCalled();
  });
  it('refuses redirects', () => {
    expect(guarded().fire('will-redirect')).toHaveBeenCalled();
  });
  it('refuses to attach a webview', () => {
    expect(guarded().fire('will-attach-webview')).toHaveBeenCalled();
  });
  it('denies every new window, whatever the URL', () => {
    const { openHandler } = guarded();
    for (const url of [
      'https://evil.example/',
      'app://ticket-window/index.html',
      'https://open.douyin.com/',
      'file:///etc/passwd',
    ]) {
      expect(openHandler({ url })).toEqual({ action: 'deny' });
    }
  });
});
