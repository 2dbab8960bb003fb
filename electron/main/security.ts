import type { Session, WebContents } from 'electron';
import { isAppUrl } from './origin';

/**
 * Electron's security checklist for everything but the window's own webPreferences (which stay a
 * literal in window.ts, where electronegativity can read them): only our own origin; no
 * navigation, no redirects, no new windows, no webviews; the camera (for QR scanning) is the one
 * permission, and only for our origin.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isCameraRequest(permission, details.requestingUrl, 'mediaTypes' in details ? details.mediaTypes : undefined));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    return permission === 'media' && isAppUrl(requestingOrigin) && details.mediaType !== 'audio';
  });
  session.setDevicePermissionHandler(() => false);
}

export function isCameraRequest(
  permission: string,
  requestingUrl: string | undefined,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  // A scanner window never needs the microphone, nor a request that names no device at all.
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
}

/** Applied to every WebContents the app ever creates (app 'web-contents-created'). */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Nothing in the app opens a window or an outside link: a kiosk must not become a browser.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
