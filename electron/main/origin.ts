/**
 * The app's own origin. The renderer is served from a privileged custom scheme rather than
 * file://, so "is this our page?" is an exact origin comparison, not a path guess.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ticket-window';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
