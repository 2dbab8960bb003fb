import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, type PairAnswer, type PairRequest } from '../shared/hub/protocol';
import type { Db } from './db';
import { HubRefusal } from './refusal';

const CODE_LIFETIME_MS = 10 * 60_000;
const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/** A new one-time code for the admin page; only its hash is stored. */
export async function createPairingCode(db: Db): Promise<{ code: string; expiresAtMs: number }> {
  const code = Array.from({ length: 8 }, () => PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)]).join('');
  const expiresAtMs = Date.now() + CODE_LIFETIME_MS;
  await db.query('INSERT INTO pairing_codes (code_hash, expires_at) VALUES ($1, to_timestamp($2 / 1000.0))', [
    hashCode(code),
    expiresAtMs,
  ]);
  return { code, expiresAtMs };
}

/**
 * Uses the code up and creates the window in one transaction: the UPDATE … WHERE used_at IS NULL
 * lets exactly one caller have a code, even two at once on two hub processes.
 */
export async function pairWindow(db: Db, request: PairRequest): Promise<PairAnswer> {
  const windowId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO windows (id, name, secret, version) VALUES ($1, $2, $3, $4)', [
      windowId,
      request.name,
      secret,
      request.version ?? null,
    ]);
    const used = await client.query(
      `UPDATE pairing_codes SET used_at = now(), window_id = $2
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING code_hash`,
      [hashCode(request.code), windowId],
    );
    if (used.rowCount !== 1) {
      await client.query('ROLLBACK');
      throw new HubRefusal(
        403,
        'bad_pairing_code',
        '配对码无效、已过期或已使用',
        'The pairing code is wrong, expired or already used',
      );
    }
    await client.query('COMMIT');
    return { windowId, secret };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function revokeWindow(db: Db, windowId: string): Promise<boolean> {
  const revoked = await db.query('UPDATE windows SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [windowId]);
  return revoked.rowCount === 1;
}
