import type { ClaimAnswer, ClaimRequest } from '../shared/hub/protocol';
import type { Db } from './db';
import { ADMIT_SQL, type AuthedWindow, type SignedCall, type WindowAuth } from './window-auth';

type Holder = { window_id: string; scan_id: string; name: string; claimed_ms: string };

/** Who holds the ticket whose key is the parameter `key` ("$1"). */
const holderSql = (
  key: string,
) => `SELECT c.window_id, c.scan_id, w.name, (extract(epoch FROM c.claimed_at) * 1000)::bigint AS claimed_ms
  FROM claims c JOIN windows w ON w.id = c.window_id WHERE c.ticket_key = ${key}`;

/**
 * Admission (nonce, revocation), the claim and, when it lost, who holds the ticket: one
 * statement, so one round trip and one commit on the scan path. The first claim wins by the
 * primary key, never by a read-then-write. The holder is read in the statement's snapshot, which
 * does not hold a claim committed while the statement ran: then it is read again.
 */
const CLAIM_SQL = `WITH admitted AS (${ADMIT_SQL}),
  claimed AS (
    INSERT INTO claims (ticket_key, window_id, scan_id, claimed_at)
    SELECT $3, window_id, $4, coalesce(to_timestamp($5 / 1000.0), now()) FROM admitted
    ON CONFLICT DO NOTHING RETURNING ticket_key)
  SELECT (SELECT count(*) FROM admitted)::int AS admitted, (SELECT count(*) FROM claimed)::int AS won, h.*
    FROM (SELECT 1) AS one LEFT JOIN (${holderSql('$3')}) AS h ON true`;

/**
 * A signed claim (issue 17 item 4). The same window retrying the same scan gets its own claim
 * back. Claims are committed with the database's default `synchronous_commit = on`: a won claim
 * the hub answered must survive a crash of PostgreSQL or of the machine, or a second window could
 * win the same ticket afterwards.
 */
export async function claimTicket(db: Db, auth: WindowAuth, call: SignedCall, claim: ClaimRequest): Promise<ClaimAnswer> {
  // Named: each connection parses and plans it once, not per claim (the plan was half the backend's time).
  const result = await db.query<{ admitted: number; won: number } & Partial<Holder>>({
    name: 'claim',
    text: CLAIM_SQL,
    values: [call.id, call.nonce, claim.key, claim.scanId, claim.usedAtMs ?? null],
  });
  const row = result.rows[0]!;
  if (row.admitted === 0) return auth.refuseUnadmitted(call.id);
  if (row.won === 1) return { won: true };
  return answerHolder(db, call, claim, row.window_id ? (row as Holder) : undefined);
}

async function answerHolder(db: Db, window: AuthedWindow, claim: ClaimRequest, seen: Holder | undefined): Promise<ClaimAnswer> {
  const first = seen ?? (await db.query<Holder>(holderSql('$1'), [claim.key])).rows[0];
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
  return inserted.rowCount === 1 ? { won: true } : answerHolder(db, window, claim, undefined);
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
