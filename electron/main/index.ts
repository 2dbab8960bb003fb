import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_PREFIX } from '../../shared/ipc/api';
import { resolveDataDir } from '../core/config';
import { log, loggerFor, logDirOf } from '../core/log';
import { startCoreProcess, type CoreChild, type CoreProcess } from './core-process';
import { electronDesktop } from './desktop';
import { registerIpc } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerRendererProtocol } from './protocol';
import { recoverRenderer } from './recovery';
import { safeStorageCodec } from './secret-codec';
import { guardWebContents, hardenSession } from './security';
import { printReportToPdf } from './print-report';
import { printSlipSilently } from './print-slip';
import { applyKiosk, createMainWindow } from './window';

// Electron glue only: lifecycle, window, protocol, IPC wiring, safeStorage, OS actions. The core
// (SQLite, the worker, history, exports) runs in its own utility process (electron/host).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

const mainLog = loggerFor('main');
let core: CoreProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let closedCore = false;

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
  app.on('child-process-gone', (_event, details) => mainLog.warn(`${details.type} process gone (${details.reason})`));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    // Quit only once the worker has stopped and the database is closed (bounded by the close timeout).
    if (!core || closedCore) return;
    event.preventDefault();
    void core.close().finally(() => {
      closedCore = true;
      app.quit();
    });
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

/** The core's entry (electron/host/index.ts, built next to main) in an Electron utility process. */
function forkCore(dataDir: string): CoreChild {
  const child = utilityProcess.fork(join(__dirname, '../host/index.cjs'), [], {
    serviceName: 'Ticket Window core',
    // The version goes to the site hub's page, so a manager sees which windows run what.
    env: { ...process.env, TICKET_WINDOW_DATA_DIR: dataDir, TICKET_WINDOW_VERSION: app.getVersion() },
  });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => void child.kill(),
  };
}

async function start(): Promise<void> {
  try {
    const dataDir = resolveDataDir(process.env, app.getPath('userData'));
    log.toFolder(logDirOf(dataDir));
    mainLog.info(`Ticket Window ${app.getVersion()} starting`);
    const send = (event: string, payload: unknown) => {
      const contents = mainWindow?.webContents;
      if (contents && !contents.isDestroyed()) contents.send(`${IPC_EVENT_PREFIX}${event}`, payload);
    };
    const desktop = electronDesktop({
      app,
      shell,
      printPage: () => (mainWindow ? printReportToPdf(mainWindow.webContents) : Promise.reject(new Error('no window'))),
      printSlip: (html, printerName) => printSlipSilently(html, printerName, (options) => new BrowserWindow(options)),
      platform: process.platform,
      log: mainLog,
    });
    core = startCoreProcess({
      spawn: () => forkCore(dataDir),
      codec: safeStorageCodec(safeStorage, process.platform),
      desktop: (request) => desktop.perform(request),
      log: loggerFor('core-process'),
      onEvent: send,
      onSettings: (next) => {
        if (mainWindow) applyKiosk(mainWindow, next.kiosk);
        desktop.startAtLogin(next.autoStart);
      },
      onState: (state) => {
        send('core.state', { state });
        if (state === 'failed' && mainWindow) void showCoreFailure(mainWindow);
      },
    });
    const settings = await core.started;
    hardenSession(session.defaultSession);
    registerRendererProtocol(protocol, join(__dirname, '../renderer'));
    const window = createMainWindow({
      preload: join(__dirname, '../preload/index.cjs'),
      kiosk: settings.kiosk,
      // A kiosk gate has no developer at it, and an installed app never shows DevTools.
      devTools: !app.isPackaged && !settings.kiosk,
    });
    mainWindow = window;
    const running = core;
    registerIpc(ipcMain, (channel, input) => running.call(channel, input));
    recoverRenderer(window, { log, onCrashLoop: (reloadAnyway) => void askAfterCrashLoop(window, reloadAnyway) });
  } catch (error) {
    fatal(error);
  }
}

async function showCoreFailure(window: BrowserWindow): Promise<void> {
  await dialog.showMessageBox(window, {
    type: 'error',
    title: '票务核销台 Ticket Window',
    message: '后台服务反复崩溃，已停止自动重启。\nThe app’s core keeps crashing; automatic restarts have stopped.',
    detail:
      '已记录的扫码不会丢失。请联系管理员并提供日志文件夹，然后重新启动程序。\nScans already recorded are safe. Please call a supervisor, keep the log folder, and restart the app.',
    buttons: ['确定 OK'],
    noLink: true,
  });
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
  mainLog.error('cannot start', error);
  dialog.showErrorBox('票务核销台无法启动 / Ticket Window cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
