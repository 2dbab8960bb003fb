import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_PREFIX } from '../../shared/ipc/api';
import { createCore, type Core } from '../core/app';
import { resolveDataDir } from '../core/config';
import { registerIpc } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerRendererProtocol } from './protocol';
import { safeStorageCodec } from './secret-codec';
import { guardWebContents, hardenSession } from './security';
import { createMainWindow } from './window';

// Electron glue only: lifecycle, window, protocol, IPC wiring. Everything else is core.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  // A second window on the same data folder would fight over the queue: hand over and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void core?.close();
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  try {
    const dataDir = resolveDataDir(process.env, app.getPath('userData'));
    core = await createCore({ dataDir, env: process.env, secretCodec: safeStorageCodec(safeStorage, process.platform) });
    hardenSession(session.defaultSession);
    registerRendererProtocol(protocol, join(__dirname, '../renderer'));
    registerIpc(ipcMain, core.routes);
    mainWindow = createMainWindow({
      preload: join(__dirname, '../preload/index.cjs'),
      kiosk: core.settings.get().kiosk,
      devTools: !app.isPackaged,
      openExternal: (url) => void shell.openExternal(url),
    });
    const contents = mainWindow.webContents;
    core.events.subscribe((event, payload) => {
      if (!contents.isDestroyed()) contents.send(`${IPC_EVENT_PREFIX}${event}`, payload);
    });
  } catch (error) {
    fatal(error);
  }
}

function fatal(error: unknown): void {
  console.error('[main] cannot start', error);
  dialog.showErrorBox('票务核销台无法启动 / Ticket Window cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
