import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl } from './origin';

/**
 * Electron's security checklist, in one place so each rule is pinned by a test:
 * isolated, sandboxed renderer without Node; only our own origin; no navigation, no new windows,
 * no webviews; the camera (for QR scanning) is the one permission, and only for our origin.
 */
export function secureWebPreferences(preload: string, devTools: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
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
    spellcheck: false,
    devTools,
  };
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isCameraRequest(permission, details.requestingUrl, (details as { mediaTypes?: string[] }).mediaTypes));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return permission === 'media' && isAppUrl(requestingOrigin);
  });
  session.setDevicePermissionHandler(() => false);
}

export function isCameraRequest(permission: string, requestingUrl: string | undefined, mediaTypes: string[] | undefined): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  // A scanner window never needs the microphone.
  return (mediaTypes ?? []).every((type) => type === 'video');
}

/** Applied to every WebContents the app ever creates. */
export function guardWebContents(contents: WebContents, openExternal?: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only Douyin's own help pages may open outside, in the system browser, never in the app.
    if (openExternal && /^https:\/\/(developer\.)?open-?douyin\.com\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}
