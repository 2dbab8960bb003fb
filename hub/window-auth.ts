import type { IncomingHttpHeaders } from 'node:http';
import { HUB_HEADERS, HUB_SIGNATURE_WINDOW_MS, nonceSchema } from '../shared/hub/protocol';
import { sameSecret, signRequest } from '../electron/core/hub/signature';
import type { Db } from './db';
import { unauthorized } from './refusal';

export interface AuthedWindow {
  id: string;
  name: string;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Checks a window's signed request: known, not revoked, signature right, timestamp within the
 * window, nonce never seen. The nonce goes into PostgreSQL, so a replay to another hub process
 * is refused too.
 */
export async function authenticateWindow(
  db: Db,
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer },
  now: number = Date.now(),
): Promise<AuthedWindow> {
  const windowId = header(request.headers, HUB_HEADERS.window);
  const timestamp = header(request.headers, HUB_HEADERS.timestamp);
  const nonce = header(request.headers, HUB_HEADERS.nonce);
  const signature = header(request.headers, HUB_HEADERS.signature);
  if (!windowId || !timestamp || !nonce || !signature || !nonceSchema.safeParse(nonce).success) {
    throw unauthorized('unsigned', '请求未签名', 'The request is not signed');
  }
  if (!/^[0-9a-f-]{36}$/.test(windowId)) throw unauthorized('unknown_window', '未知窗口', 'Unknown window');
  const at = Number(timestamp);
  if (!Number.isSafeInteger(at) || Math.abs(now - at) > HUB_SIGNATURE_WINDOW_MS) {
    throw unauthorized('stale', '请求时间超出范围，请检查本机时钟', 'Request time out of range; check this PC’s clock');
  }
  const found = await db.query<{ name: string; secret: string; revoked: boolean }>(
    'SELECT name, secret, revoked_at IS NOT NULL AS revoked FROM windows WHERE id = $1',
    [windowId],
  );
  const window = found.rows[0];
  if (!window) throw unauthorized('unknown_window', '未知窗口', 'Unknown window');
  if (window.revoked) throw unauthorized('revoked', '此窗口已被撤销，请重新配对', 'This window was revoked; pair it again');
  const expected = signRequest(window.secret, { ...request, timestamp, nonce });
  if (!sameSecret(expected, signature)) throw unauthorized('bad_signature', '签名无效', 'Bad signature');

  const fresh = await db.query(
    'INSERT INTO used_nonces (window_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING nonce',
    [windowId, nonce],
  );
  if (fresh.rowCount === 0) throw unauthorized('replayed', '重复的请求', 'Replayed request');
  await db.query('UPDATE windows SET last_seen_at = now() WHERE id = $1', [windowId]);
  return { id: windowId, name: window.name };
}

/** Nonces older than the time window can never be accepted again, so they can go. */
export async function pruneNonces(db: Db): Promise<void> {
  await db.query(`DELETE FROM used_nonces WHERE seen_at < now() - ($1 * interval '1 millisecond')`, [
    2 * HUB_SIGNATURE_WINDOW_MS,
  ]);
}
