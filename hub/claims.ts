import type { ClaimAnswer, ClaimRequest } from '../shared/hub/protocol';
import type { Db } from './db';
import type { AuthedWindow } from './window-auth';

/**
 * The first claim of a ticket wins by the primary key, never by a read-then-write. The same
 * window retrying the same scan gets its own claim back.
 */
export async function claimTicket(db: Db, window: AuthedWindow, claim: ClaimRequest): Promise<ClaimAnswer> {
  const inserted = await db.query(
    `INSERT INTO claims (ticket_key, window_id, scan_id, claimed_at)
     VALUES ($1, $2, $3, coalesce(to_timestamp($4 / 1000.0), now())) ON CONFLICT DO NOTHING RETURNING ticket_key`,
    [claim.key, window.id, claim.scanId, claim.usedAtMs ?? null],
  );
  if (inserted.rowCount === 1) return { won: true };
  const holder = await db.query<{ window_id: string; scan_id: string; name: string; claimed_ms: string }>(
    `SELECT c.window_id, c.scan_id, w.name, (extract(epoch FROM c.claimed_at) * 1000)::bigint AS claimed_ms
       FROM claims c JOIN windows w ON w.id = c.window_id WHERE c.ticket_key = $1`,
    [claim.key],
  );
  const first = holder.rows[0];
  // Released between our insert and this read: claim again rather than answer "used".
  if (!first) return claimTicket(db, window, claim);
  if (first.window_id === window.id && first.scan_id === claim.scanId) return { won: true };
  return { won: false, claimedAtMs: Number(first.claimed_ms), windowName: first.name };
}

/** Douyin refused the verify, or the coupon was undone: the ticket may be used again. */
export async function releaseTicket(db: Db, window: AuthedWindow, claim: ClaimRequest): Promise<boolean> {
  const released = await db.query('DELETE FROM claims WHERE ticket_key = $1 AND window_id = $2 AND scan_id = $3', [
    claim.key,
    window.id,
    claim.scanId,
  ]);
  return released.rowCount === 1;
}
