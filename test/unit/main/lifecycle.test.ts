import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A fresh fake Electron per test: index.ts runs its lifecycle at import time. */
function fakeElectron(options: { lock: boolean; packaged?: boolean; kiosk?: boolean }) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.packaged ?? false,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => options.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: vi.fn(() => '/tmp/tw-userdata'),
    getVersion: vi.fn(() => '0.1.0'),
    setLoginItemSettings: vi.fn(),
    whenReady: vi.fn(() => (options.lock ? Promise.resolve() : new Promise(() => {}))),
  });
  const windows: { options: any; win: any }[] = [];
  class BrowserWindow extends EventEmitter {
    webContents = Object.assign(new EventEmitter(), { isDestroyed: () => false, send: vi.fn(), reload: vi.fn() });
    loadURL = vi.fn(async () => undefined);
    removeMenu = vi.fn();
    isDestroyed = () => false;
    constructor(opts: any) {
      super();
      windows.push({ options: opts, win: this });
    }
  }
  return {
    windows,
    module: {
      app,
      BrowserWindow,
      dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn() },
      ipcMain: { handle: vi.fn() },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: vi.fn(),
        decryptString: vi.fn(),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          setDevicePermissionHandler: vi.fn(),
        },
      },
      shell: { openPath: vi.fn(async () => '') },
      powerSaveBlocker: { start: vi.fn(() => 1), isStarted: vi.fn(() => true), stop: vi.fn() },
    },
  };
}

const settings = { kiosk: false, autoStart: false };
vi.mock('../../../electron/core/app', () => ({
  createCore: vi.fn(async () => ({
    routes: {},
    events: { subscribe: vi.fn() },
    settings: { get: () => settings, subscribe: vi.fn() },
    close: vi.fn(),
  })),
}));
vi.mock('../../../electron/core/config', () => ({ resolveDataDir: () => '/tmp/tw-data' }));
vi.mock('../../../electron/core/log', () => ({
  log: { info: vi.fn(), warn: vi.fn(), error: vi.fn(), toFolder: vi.fn() },
  logDirOf: (dir: string) => `${dir}/logs`,
  loggerFor: () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() }),
}));

async function boot(options: Parameters<typeof fakeElectron>[0]) {
  vi.resetModules();
  const fake = fakeElectron(options);
  vi.doMock('electron', () => fake.module);
  await import('../../../electron/main/index');
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setTimeout(r, 0));
  return fake;
}

beforeEach(() => {
  settings.kiosk = false;
  settings.autoStart = false;
});

describe('the app lifecycle', () => {
  it('turns on the sandbox for every renderer before anything starts', async () => {
    const { module } = await boot({ lock: true });
    expect(module.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('asks for the single-instance lock, and a second instance quits without a window', async () => {
    const { module, windows } = await boot({ lock: false });
    expect(module.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(module.app.quit).toHaveBeenCalled();
    expect(windows).toHaveLength(0);
    expect(module.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('the first instance brings its window forward when a second one starts', async () => {
    const { module, windows } = await boot({ lock: true });
    const win = windows[0]!.win;
    Object.assign(win, { isMinimized: () => true, restore: vi.fn(), focus: vi.fn() });
    module.app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('guards every WebContents the app creates', async () => {
    const { module } = await boot({ lock: true });
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    module.app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('hardens the session and wires IPC before the window loads', async () => {
    const { module, windows } = await boot({ lock: true });
    expect(module.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(module.ipcMain.handle).toHaveBeenCalledWith('tw:invoke', expect.any(Function));
    expect(windows).toHaveLength(1);
    expect(windows[0]!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('shows DevTools only in development outside kiosk mode', async () => {
    expect((await boot({ lock: true, packaged: false })).windows[0]!.options.webPreferences.devTools).toBe(true);
    expect((await boot({ lock: true, packaged: true })).windows[0]!.options.webPreferences.devTools).toBe(false);
    settings.kiosk = true;
    const kiosk = await boot({ lock: true, packaged: false });
    expect(kiosk.windows[0]!.options.webPreferences.devTools).toBe(false);
    expect(kiosk.windows[0]!.options.kiosk).toBe(true);
  });

  it('registers the login item only for the installed app on Windows and macOS', async () => {
    settings.autoStart = true;
    const dev = await boot({ lock: true, packaged: false });
    expect(dev.module.app.setLoginItemSettings).not.toHaveBeenCalled();
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    try {
      Object.defineProperty(process, 'platform', { value: 'win32' });
      const installed = await boot({ lock: true, packaged: true });
      expect(installed.module.app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true });
      Object.defineProperty(process, 'platform', { value: 'linux' });
      const linux = await boot({ lock: true, packaged: true });
      expect(linux.module.app.setLoginItemSettings).not.toHaveBeenCalled();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});
