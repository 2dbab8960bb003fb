import type { IncomingHttpHeaders } from 'node:http';
import { HUB_HEADERS, HUB_SIGNATURE_WINDOW_MS, nonceSchema } from '../shared/hub/protocol';
import { sameSecret, signRequest } from '../electron/core/hub/signature';
import type { Db } from './db';
import { unauthorized } from './refusal';

export interface AuthedWindow {
  id: string;
  name: string;
}

/** A request whose signature is right; it is admitted once its nonce is consumed (see ADMIT_SQL). */
export interface SignedCall extends AuthedWindow {
  nonce: string;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Consumes a signed call's nonce if its window is not revoked ($1 window id, $2 nonce): one row
 * back means admitted. A statement that does the call's own work puts this first, as a CTE, so
 * admission and the work are one round trip and one commit (the claim path). The nonce goes into
 * PostgreSQL, so a replay to another hub process is refused too.
 */
export const ADMIT_SQL = `INSERT INTO used_nonces (window_id, nonce)
  SELECT id, $2 FROM windows WHERE id = $1 AND revoked_at IS NULL
  ON CONFLICT DO NOTHING RETURNING window_id`;

/**
 * Checks window requests. A window's secret never changes once paired (pairing again makes a new
 * window), so each process reads it once and checks signatures in memory; what can change —
 * revocation — and what must be shared — the nonce — are checked by the statement that admits
 * the call. "Last contact" is written in the background, once per few seconds for all windows:
 * an UPDATE of the window's row per request would queue claims behind that window's history
 * batch, which holds the row.
 */
export class WindowAuth {
  private readonly known = new Map<string, { name: string; secret: string }>();
  private readonly seen = new Set<string>();
  private readonly flusher: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: (message: string) => void = () => undefined,
    lastSeenEveryMs = 2_000,
  ) {
    this.flusher = setInterval(() => void this.flushLastSeen(), lastSeenEveryMs);
    this.flusher.unref();
  }

  /** Signature and time, no write: the caller admits the call (ADMIT_SQL) with its own work. */
  async verify(
    request: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer },
    now: number = Date.now(),
  ): Promise<SignedCall> {
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
    const window = await this.window(windowId);
    const expected = signRequest(window.secret, { ...request, timestamp, nonce });
    if (!sameSecret(expected, signature)) throw unauthorized('bad_signature', '签名无效', 'Bad signature');
    this.seen.add(windowId);
    return { id: windowId, name: window.name, nonce };
  }

  /** For calls whose work is not on the scan path: admission as a statement of its own. */
  async authenticate(request: Parameters<WindowAuth['verify']>[0]): Promise<AuthedWindow> {
    const call = await this.verify(request);
    const admitted = await this.db.query(ADMIT_SQL, [call.id, call.nonce]);
    if (admitted.rowCount === 0) await this.refuseUnadmitted(call.id);
    return { id: call.id, name: call.name };
  }

  /** A window's name and secret (read once per process): to check a token, or seal an answer for it. */
  async window(windowId: string): Promise<{ name: string; secret: string }> {
    return this.known.get(windowId) ?? (await this.load(windowId));
  }

  /** The nonce was not consumed: the window was revoked, or the call is a replay. Always throws. */
  async refuseUnadmitted(windowId: string): Promise<never> {
    const found = await this.db.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM windows WHERE id = $1',
      [windowId],
    );
    if (found.rows[0]?.revoked)
      throw unauthorized('revoked', '此窗口已被撤销，请重新配对', 'This window was revoked; pair it again');
    throw unauthorized('replayed', '重复的请求', 'Replayed request');
  }

  /** Writes what is left of "last contact" and stops the timer. */
  async close(): Promise<void> {
    clearInterval(this.flusher);
    await this.flushLastSeen();
  }

  private async load(windowId: string): Promise<{ name: string; secret: string }> {
    const found = await this.db.query<{ name: string; secret: string }>('SELECT name, secret FROM windows WHERE id = $1', [
      windowId,
    ]);
    const window = found.rows[0];
    if (!window) throw unauthorized('unknown_window', '未知窗口', 'Unknown window');
    this.known.set(windowId, window);
    return window;
  }

  private flushLastSeen(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.seen.size === 0) return;
      // Sorted: two hub processes lock the same rows in the same order, so they cannot deadlock.
      const ids = [...this.seen].sort();
      this.seen.clear();
      await this.db
        .query('UPDATE windows SET last_seen_at = now() WHERE id = ANY($1::uuid[])', [ids])
        .catch((error: unknown) => this.log(`hub last contact not written: ${String(error)}`));
    });
    return this.flushing;
  }
}

/** Nonces older than the time window can never be accepted again, so they can go. */
export async function pruneNonces(db: Db): Promise<void> {
  await db.query(`DELETE FROM used_nonces WHERE seen_at < now() - ($1 * interval '1 millisecond')`, [
    2 * HUB_SIGNATURE_WINDOW_MS,
  ]);
}
