import { BrowserWindow, powerSaveBlocker } from 'electron';
import { APP_ENTRY_URL } from './origin';

export interface WindowOptions {
  preload: string;
  kiosk: boolean;
  devTools: boolean;
}

/**
 * The one window. Its webPreferences are Electron's security checklist written out in full (not
 * left to defaults, which have changed between versions), so a test and electronegativity both
 * see every setting: isolated, sandboxed, no Node, web security on, no webviews.
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    title: '票务核销台 Ticket Window',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would ask for a new window; the open handler denies it, this stops it earlier.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  if (options.kiosk) win.removeMenu();
  // A gate screen that dims mid-queue costs a scan; the block ends with the window.
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  win.on('closed', () => {
    if (powerSaveBlocker.isStarted(blocker)) powerSaveBlocker.stop(blocker);
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** The supervisor toggled kiosk mode: apply it now rather than at the next start. */
export function applyKiosk(win: BrowserWindow, kiosk: boolean): void {
  if (win.isDestroyed() || win.isKiosk() === kiosk) return;
  win.setKiosk(kiosk);
  if (kiosk) win.removeMenu();
}
