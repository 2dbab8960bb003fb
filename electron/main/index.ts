import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_PREFIX } from '../../shared/ipc/api';
import { createCore, type Core } from '../core/app';
import { connectPlatform } from '../platform/connect';
import { resolveDataDir } from '../core/config';
import { log, logDirOf } from '../core/log';
import { registerIpc } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerRendererProtocol } from './protocol';
import { recoverRenderer } from './recovery';
import { safeStorageCodec } from './secret-codec';
import { guardWebContents, hardenSession } from './security';
import { printReportToPdf } from './print-report';
import { withShell } from './shell-routes';
import { applyKiosk, createMainWindow } from './window';

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
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('child-process-gone', (_event, details) => log.warn(`[main] ${details.type} process gone (${details.reason})`));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void core?.close();
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  try {
    const dataDir = resolveDataDir(process.env, app.getPath('userData'));
    log.toFolder(logDirOf(dataDir));
    log.info(`[main] Ticket Window ${app.getVersion()} starting`);
    core = await createCore({
      connectPlatform,
      dataDir,
      env: process.env,
      secretCodec: safeStorageCodec(safeStorage, process.platform),
    });
    hardenSession(session.defaultSession);
    registerRendererProtocol(protocol, join(__dirname, '../renderer'));
    const settings = core.settings.get();
    const window = createMainWindow({
      preload: join(__dirname, '../preload/index.cjs'),
      kiosk: settings.kiosk,
      // A kiosk gate has no developer at it, and an installed app never shows DevTools.
      devTools: !app.isPackaged && !settings.kiosk,
    });
    mainWindow = window;
    registerIpc(ipcMain, withShell(core.routes, { shell, printPage: () => printReportToPdf(window.webContents) }, log));
    recoverRenderer(window, { log, onCrashLoop: (reloadAnyway) => void askAfterCrashLoop(window, reloadAnyway) });
    applyAutoStart(settings.autoStart);
    core.settings.subscribe((next) => {
      applyKiosk(window, next.kiosk);
      applyAutoStart(next.autoStart);
    });
    const contents = window.webContents;
    core.events.subscribe((event, payload) => {
      if (!contents.isDestroyed()) contents.send(`${IPC_EVENT_PREFIX}${event}`, payload);
    });
  } catch (error) {
    fatal(error);
  }
}

let loginItem: boolean | undefined;
function applyAutoStart(openAtLogin: boolean): void {
  // Only an installed app registers itself (in development it would register electron.exe), and
  // Electron's login items exist on Windows and macOS only.
  if (!app.isPackaged || process.platform === 'linux' || loginItem === openAtLogin) return;
  loginItem = openAtLogin;
  app.setLoginItemSettings({ openAtLogin });
  log.info(`[main] start at login: ${openAtLogin}`);
}

async function askAfterCrashLoop(window: BrowserWindow, reloadAnyway: () => void): Promise<void> {
  const { response } = await dialog.showMessageBox(window, {
    type: 'error',
    title: '票务核销台 Ticket Window',
    message: '页面反复崩溃，已停止自动重新加载。\nThe screen keeps crashing; automatic reloads have stopped.',
    detail:
      '已记录的扫码不会丢失。请联系管理员并提供日志文件夹。\nScans already recorded are safe. Please call a supervisor and keep the log folder.',
    buttons: ['重新加载 Reload', '退出 Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response === 0) reloadAnyway();
  else app.quit();
}

function fatal(error: unknown): void {
  log.error('[main] cannot start', error);
  dialog.showErrorBox('票务核销台无法启动 / Ticket Window cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
