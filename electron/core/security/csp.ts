/**
 * One Content-Security-Policy for both transports: Electron sets it on every response of the
 * app:// protocol, the web transport on every page. Nothing but our own bundle may run, and the
 * page may only talk to its own origin (the web transport's API, or nothing in Electron).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
