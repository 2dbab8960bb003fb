import { createHmac } from 'node:crypto';
import { sameSecret } from './signature';

/**
 * electron-updater sends the same headers with every request of a check (latest.yml, installer,
 * blockmap), so the per-request signature cannot authenticate them. The window mints instead a
 * bearer token from its hub secret: its id, an expiry and an HMAC over both. The hub checks the
 * HMAC and, on every request, that the window is not revoked.
 */
const PREFIX = 'twu1';
/** The longest a token may be valid for: a stolen one stops working within a day. */
const UPDATE_TOKEN_MAX_MS = 24 * 60 * 60_000;

const mac = (secret: string, windowId: string, expiresAtMs: number) =>
  createHmac('sha256', Buffer.from(secret, 'base64url')).update(`update-feed\n${windowId}\n${expiresAtMs}`).digest('base64url');

export function mintUpdateToken(credential: { windowId: string; secret: string }, expiresAtMs: number): string {
  return [PREFIX, credential.windowId, String(expiresAtMs), mac(credential.secret, credential.windowId, expiresAtMs)].join('.');
}

/** The window a token names, if it has the token's shape; whether it is genuine is `updateTokenValid`. */
export function updateTokenWindow(token: string): string | undefined {
  const [prefix, windowId, expires, tag, ...rest] = token.split('.');
  if (prefix !== PREFIX || rest.length > 0 || !windowId || !expires || !tag) return undefined;
  return /^[0-9a-f-]{36}$/.test(windowId) && /^\d{1,15}$/.test(expires) ? windowId : undefined;
}

export function updateTokenValid(token: string, secret: string, now: number): boolean {
  const [, windowId = '', expires = '', tag = ''] = token.split('.');
  const expiresAtMs = Number(expires);
  if (expiresAtMs <= now || expiresAtMs > now + UPDATE_TOKEN_MAX_MS) return false;
  return sameSecret(tag, mac(secret, windowId, expiresAtMs));
}
