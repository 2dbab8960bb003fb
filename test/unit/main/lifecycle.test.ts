import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** A fresh fake Electron per test: index.ts runs its lifecycle at import time. */
function fakeElectron(options: { lock: boolean; packaged?: boolean; kiosk?: boolean; closesOnAsk?: boolean }) {
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
    isKiosk = () => false;
    setKiosk = vi.fn();
    constructor(opts: any) {
      super();
      windows.push({ options: opts, win: this });
    }
  }
  // Electron's utilityProcess as main uses it: the core's child says 'ready' once started, and
  // answers 'close' with 'closed' then exits, as electron/core/host does.
  const children: any[] = [];
  const utilityProcess = {
    fork: vi.fn((modulePath: string, _args: string[], forkOptions: any) => {
      const child = Object.assign(new EventEmitter(), {
        modulePath,
        options: forkOptions,
        sent: [] as any[],
        postMessage: vi.fn((message: any) => {
          child.sent.push(message);
          // main's updater asks for its facts before the window opens: nobody at work, no hub.
          if (message.type === 'update') {
            const value = { feed: null, shiftOpen: false, unsynced: 0 };
            setTimeout(() => child.emit('message', { type: 'result', id: message.id, result: { ok: true, value } }), 0);
          }
          if (message.type === 'close' && options.closesOnAsk !== false) {
            setTimeout(() => {
              child.emit('message', { type: 'closed' });
              child.emit('exit', 0);
            }, 0);
          }
        }),
        kill: vi.fn(() => true),
      });
      children.push(child);
      setTimeout(() => child.emit('message', { type: 'ready', settings: { ...settings } }), 0);
      return child;
    }),
  };
  // electron-updater's autoUpdater as main sets it up; the real one would load Electron itself.
  const updater = Object.assign(new EventEmitter(), {
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(async () => null),
    downloadUpdate: vi.fn(async () => []),
  });
  return {
    windows,
    children,
    updater,
    module: {
      utilityProcess,
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
const dataDir = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join: joinPath } = await import('node:path');
  return mkdtempSync(joinPath(tmpdir(), 'tw-lifecycle-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
vi.mock('../../../electron/core/config', () => ({ resolveDataDir: () => dataDir }));
vi.mock('../../../electron/core/log', () => ({
  log: { info: vi.fn(), warn: vi.fn(), error: vi.fn(), toFolder: vi.fn() },
  logDirOf: (dir: string) => `${dir}/logs`,
  loggerFor: () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() }),
}));

async function boot(options: Parameters<typeof fakeElectron>[0]) {
  vi.resetModules();
  const fake = fakeElectron(options);
  vi.doMock('electron', () => fake.module);
  vi.doMock('electron-updater', () => ({ autoUpdater: fake.updater }));
  await import('../../../electron/main/index');
  for (let i = 0; i < 4; i += 1) await new Promise((r) => setTimeout(r, 0));
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

  it('the installed Windows app counts its start for the updater before the core starts; electron-updater never installs on its own', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    try {
      const dev = await boot({ lock: true, packaged: false });
      expect(existsSync(join(dataDir, 'updates'))).toBe(false);
      expect(dev.windows).toHaveLength(1);
      Object.defineProperty(process, 'platform', { value: 'win32' });
      const installed = await boot({ lock: true, packaged: true });
      expect(JSON.parse(readFileSync(join(dataDir, 'updates', 'state.json'), 'utf8'))).toMatchObject({ trial: null });
      expect(installed.updater).toMatchObject({
        autoDownload: false,
        autoInstallOnAppQuit: false,
        disableDifferentialDownload: true,
      });
      expect(installed.windows).toHaveLength(1);
    } finally {
      Object.defineProperty(process, 'platform', platform);
      rmSync(join(dataDir, 'updates'), { recursive: true, force: true });
    }
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

  it('runs the core in a utility process on the data folder, and relays events to the window', async () => {
    const { module, windows, children } = await boot({ lock: true });
    expect(module.utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(children[0].modulePath).toMatch(/host[\\/]index\.cjs$/);
    expect(children[0].options.env.TICKET_WINDOW_DATA_DIR).toBe(dataDir);
    children[0].emit('message', { type: 'event', event: 'status.changed', payload: { mode: 'demo' } });
    expect(windows[0]!.win.webContents.send).toHaveBeenCalledWith('tw:event:status.changed', { mode: 'demo' });
  });

  it('restarts a crashed core and tells the window it is recovering, then ready', async () => {
    const { windows, children } = await boot({ lock: true });
    children[0].emit('exit', 9);
    expect(windows[0]!.win.webContents.send).toHaveBeenCalledWith('tw:event:core.state', { state: 'recovering' });
    expect(children).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(windows[0]!.win.webContents.send).toHaveBeenCalledWith('tw:event:core.state', { state: 'ready' });
  });

  it('quits only after the core answered close (worker stopped, database closed)', async () => {
    const { module, children } = await boot({ lock: true });
    const event = { preventDefault: vi.fn() };
    module.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(children[0].sent).toContainEqual({ type: 'close' });
    expect(module.app.quit).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(module.app.quit).toHaveBeenCalledTimes(1);
    const again = { preventDefault: vi.fn() };
    module.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
