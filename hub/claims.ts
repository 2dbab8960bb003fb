import type { ClaimAnswer, ClaimRequest, HolderAnswer } from '../shared/hub/protocol';
import type { Db } from './db';
import type { ClaimBatcher } from './claim-batch';
import type { AuthedWindow, SignedCall, WindowAuth } from './window-auth';

type Holder = { window_id: string; scan_id: string; name: string; claimed_ms: string };

/** Who holds the ticket whose key is $1. */
const HOLDER_SQL = `SELECT c.window_id, c.scan_id, w.name, (extract(epoch FROM c.claimed_at) * 1000)::bigint AS claimed_ms
  FROM claims c JOIN windows w ON w.id = c.window_id WHERE c.ticket_key = $1`;

/**
 * A signed claim (issue 17 item 4), admitted and claimed in its batch's one statement
 * (claim-batch.ts). The same window retrying the same scan gets its own claim back. Claims are
 * committed with the database's default `synchronous_commit = on`: a won claim the hub answered
 * must survive a crash of PostgreSQL or of the machine, or a second window could win the same
 * ticket afterwards. Who holds a lost ticket is read only then (one claim in ten or fewer).
 */
export async function claimTicket(
  batcher: ClaimBatcher,
  db: Db,
  auth: WindowAuth,
  call: SignedCall,
  claim: ClaimRequest,
): Promise<ClaimAnswer> {
  const result = await batcher.claim(call, claim);
  if (!result.admitted) return auth.refuseUnadmitted(call.id);
  if (result.won) return { won: true };
  return answerHolder(db, call, claim);
}

async function answerHolder(db: Db, window: AuthedWindow, claim: ClaimRequest): Promise<ClaimAnswer> {
  const first = (await db.query<Holder>(HOLDER_SQL, [claim.key])).rows[0];
  // Released between our insert and this read: claim again rather than answer "used".
  if (!first) return claimAgain(db, window, claim);
  if (first.window_id === window.id && first.scan_id === claim.scanId) return { won: true };
  return { won: false, claimedAtMs: Number(first.claimed_ms), windowName: first.name };
}

async function claimAgain(db: Db, window: AuthedWindow, claim: ClaimRequest): Promise<ClaimAnswer> {
  const inserted = await db.query(
    `INSERT INTO claims (ticket_key, window_id, scan_id, claimed_at)
     VALUES ($1, $2, $3, coalesce(to_timestamp($4 / 1000.0), now())) ON CONFLICT DO NOTHING RETURNING ticket_key`,
    [claim.key, window.id, claim.scanId, claim.usedAtMs ?? null],
  );
  return inserted.rowCount === 1 ? { won: true } : answerHolder(db, window, claim);
}

/** Who holds the ticket, if anyone: read, never claimed. */
export async function holderOf(db: Db, key: string): Promise<HolderAnswer> {
  const first = (await db.query<Holder>(HOLDER_SQL, [key])).rows[0];
  return first ? { held: true, claimedAtMs: Number(first.claimed_ms), windowName: first.name } : { held: false };
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
