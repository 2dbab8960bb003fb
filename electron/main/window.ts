import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './origin';
import { guardWebContents, secureWebPreferences } from './security';

export interface WindowOptions {
  preload: string;
  kiosk: boolean;
  devTools: boolean;
  openExternal?: (url: string) => void;
}

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
    webPreferences: secureWebPreferences(options.preload, options.devTools),
  });
  if (options.kiosk) win.removeMenu();
  guardWebContents(win.webContents, options.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
