/**
 * The app's own origin. The renderer is served from a privileged custom scheme rather than
 * file://, so "is this our page?" is an exact origin comparison, not a path guess.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ticket-window';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    // Not `.origin`: Node's URL (which main runs) knows nothing of Electron's privileged schemes
    // and gives every app:// URL the origin "null".
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
