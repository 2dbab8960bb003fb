import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT_PREFIX } from '../../shared/ipc/api';
import { fail } from '../../shared/ipc/result';
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
import { autoUpdater } from 'electron-updater';
import { createUpdater, keptInstallerCheck, launchDetached } from './updater';
import { UpdateStore } from './update-store';
import { applyKiosk, createMainWindow } from './window';

// Electron glue only: lifecycle, window, protocol, IPC wiring, safeStorage, OS actions. The core
// (SQLite, the worker, history, exports) runs in its own utility process (electron/host).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

const mainLog = loggerFor('main');
let core: CoreProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let closedCore = false;
let updater: ReturnType<typeof createUpdater> | undefined;

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
    updater?.stop();
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
    updater = updaterFor(dataDir);
    if ((await updater?.atLaunch()) === 'installing') return;
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
    const settings = await core.started.catch(async (error: unknown) => {
      // A new version whose core cannot come up goes back to the one before, if it can.
      if ((await updater?.coreFailed(error instanceof Error ? error.message : String(error))) === 'installing') return undefined;
      throw error;
    });
    if (!settings || (await updater?.beforeWindow()) === 'installing') return;
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
    registerIpc(ipcMain, async (channel, input) => {
      const result = await running.call(channel, input);
      if (channel === 'shift.signOut' && result.ok) updater?.signedOut();
      return result;
    });
    window.webContents.once('did-finish-load', () => updater?.ready());
    recoverRenderer(window, { log, onCrashLoop: (reloadAnyway) => void askAfterCrashLoop(window, reloadAnyway) });
  } catch (error) {
    fatal(error);
  }
}

/** Updates come from the site hub, to the installed Windows app only (README, updates for the fleet). */
function updaterFor(dataDir: string): ReturnType<typeof createUpdater> | undefined {
  if (!app.isPackaged || process.platform !== 'win32') return undefined;
  try {
    const updaterLog = loggerFor('updater');
    return createUpdater({
      updater: autoUpdater,
      store: new UpdateStore(dataDir, (error) => mainLog.warn('the update state could not be read: starting over', error)),
      running: app.getVersion(),
      ask: (request) => core?.update(request) ?? Promise.resolve(fail('recovering', 'the core is not started')),
      log: updaterLog,
      resourcesPath: process.resourcesPath,
      launch: launchDetached(updaterLog),
      quit: () => app.quit(),
      verifyInstaller: keptInstallerCheck(autoUpdater),
    });
  } catch (error) {
    // No updates this run is better than no gate.
    mainLog.error('updates are off: the updater could not start', error);
    return undefined;
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
