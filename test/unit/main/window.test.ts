import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, any>; instance: any }[] = [];
  class BrowserWindow extends (require('node:events').EventEmitter as typeof EventEmitter) {
    webContents = {};
    loadURL = vi.fn(async () => undefined);
    removeMenu = vi.fn();
    show = vi.fn();
    isDestroyed = vi.fn(() => false);
    kiosk = false;
    isKiosk = vi.fn(() => this.kiosk);
    setKiosk = vi.fn((on: boolean) => {
      this.kiosk = on;
    });
    constructor(options: Record<string, any>) {
      super();
      this.kiosk = Boolean(options.kiosk);
      windows.push({ options, instance: this });
    }
  }
  const powerSaveBlocker = {
    started: new Set<number>(),
    start: vi.fn((_type: string) => {
      powerSaveBlocker.started.add(7);
      return 7;
    }),
    isStarted: vi.fn((id: number) => powerSaveBlocker.started.has(id)),
    stop: vi.fn((id: number) => powerSaveBlocker.started.delete(id)),
  };
  return { BrowserWindow, powerSaveBlocker, windows };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, powerSaveBlocker: electron.powerSaveBlocker }));

import { applyKiosk, createMainWindow } from '../../../electron/main/window';

const open = (kiosk = false, devTools = false) => {
  const win = createMainWindow({ preload: '/app/preload/index.cjs', kiosk, devTools });
  const made = electron.windows.at(-1)!;
  return { win, options: made.options, prefs: made.options.webPreferences as Record<string, unknown> };
};

beforeEach(() => {
  electron.windows.length = 0;
  electron.powerSaveBlocker.started.clear();
  vi.clearAllMocks();
});

describe('the main window', () => {
  it('isolates the page: context isolation on', () => {
    expect(open().prefs.contextIsolation).toBe(true);
  });
  it('sandboxes the renderer', () => {
    expect(open().prefs.sandbox).toBe(true);
  });
  it('gives the page no Node, not in workers, not in subframes', () => {
    const { prefs } = open();
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and refuses insecure content', () => {
    const { prefs } = open();
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });
  it('allows no <webview>', () => {
    expect(open().prefs.webviewTag).toBe(false);
  });
  it('uses only the given preload, and loads only our own origin', () => {
    const { win, prefs } = open();
    expect(prefs.preload).toBe('/app/preload/index.cjs');
    expect(win.loadURL).toHaveBeenCalledWith('app://ticket-window/index.html');
  });
  it('turns DevTools on only when asked', () => {
    expect(open(false, false).prefs.devTools).toBe(false);
    expect(open(false, true).prefs.devTools).toBe(true);
  });

  it('in kiosk mode is a full-screen kiosk without a menu', () => {
    const { win, options } = open(true);
    expect(options.kiosk).toBe(true);
    expect(options.fullscreen).toBe(true);
    expect(win.removeMenu).toHaveBeenCalled();
  });
  it('outside kiosk mode keeps its menu and frame', () => {
    const { win, options } = open(false);
    expect(options.kiosk).toBe(false);
    expect(win.removeMenu).not.toHaveBeenCalled();
  });
  it('applies a kiosk change from the settings at once', () => {
    const { win } = open(false);
    applyKiosk(win, true);
    expect(win.setKiosk).toHaveBeenCalledWith(true);
    expect(win.removeMenu).toHaveBeenCalled();
    applyKiosk(win, true);
    expect(win.setKiosk).toHaveBeenCalledTimes(1);
  });

  it('keeps the display awake while it is open, and lets it sleep once closed', () => {
    const { win } = open();
    expect(electron.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(electron.powerSaveBlocker.started.size).toBe(1);
    win.emit('closed');
    expect(electron.powerSaveBlocker.stop).toHaveBeenCalledWith(7);
    expect(electron.powerSaveBlocker.started.size).toBe(0);
  });
});
