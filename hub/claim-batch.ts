import type { ClaimRequest } from '../shared/hub/protocol';
import type { Db } from './db';
import type { SignedCall } from './window-auth';

/**
 * Admission (nonce, revocation) and the claim for a batch of calls: one statement and one commit
 * for all of them. Each call is admitted once per nonce (a nonce twice in a batch is a replay:
 * only its first row is admitted), and the first claim of a ticket wins by the primary key. Rows
 * go in in key order, so two batches (two hub processes) that share tickets take their index
 * locks in the same order and cannot deadlock; for one ticket twice in a batch the call that
 * came first wins. Committed before any call of the batch is answered, as a single claim was.
 */
const BATCH_SQL = `WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY
      AS i(window_id, nonce, ticket_key, scan_id, used_ms, n)),
  admitted AS (
    INSERT INTO used_nonces (window_id, nonce)
    SELECT DISTINCT i.window_id, i.nonce FROM input i JOIN windows w ON w.id = i.window_id AND w.revoked_at IS NULL
    ORDER BY i.window_id, i.nonce
    ON CONFLICT DO NOTHING RETURNING window_id, nonce),
  first AS (
    SELECT DISTINCT ON (i.window_id, i.nonce) i.* FROM input i JOIN admitted a USING (window_id, nonce)
    ORDER BY i.window_id, i.nonce, i.n),
  claimed AS (
    INSERT INTO claims (ticket_key, window_id, scan_id, claimed_at)
    SELECT ticket_key, window_id, scan_id, coalesce(to_timestamp(used_ms / 1000.0), now()) FROM first
    ORDER BY ticket_key, n
    ON CONFLICT DO NOTHING RETURNING ticket_key, window_id, scan_id)
  SELECT i.n::int, f.n IS NOT NULL AS admitted, c.ticket_key IS NOT NULL AS won
    FROM input i LEFT JOIN first f ON f.n = i.n
    LEFT JOIN claimed c ON c.ticket_key = i.ticket_key AND c.window_id = i.window_id AND c.scan_id = i.scan_id`;

export interface BatchedClaim {
  admitted: boolean;
  /** This call's window and scan hold the ticket now (the same scan twice gets its claim back). */
  won: boolean;
}

interface Pending {
  call: SignedCall;
  claim: ClaimRequest;
  settle(result: BatchedClaim | Error): void;
}

/**
 * Claims that arrive while earlier statements are in flight wait and go together in the next one.
 * With one claim at a time nothing waits (a quiet site claims alone, in one round trip); under
 * load PostgreSQL's cost per statement and per commit, and the hub's socket writes, are shared by
 * the batch instead of paid per claim.
 */
export class ClaimBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly maxInFlight = 4,
    private readonly maxBatch = 100,
  ) {}

  claim(call: SignedCall, claim: ClaimRequest): Promise<BatchedClaim> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, claim, settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    try {
      const result = await this.db.query<{ n: number; admitted: boolean; won: boolean }>({
        name: 'claim-batch',
        text: BATCH_SQL,
        values: [
          batch.map((p) => p.call.id),
          batch.map((p) => p.call.nonce),
          batch.map((p) => p.claim.key),
          batch.map((p) => p.claim.scanId),
          batch.map((p) => p.claim.usedAtMs ?? null),
        ],
      });
      for (const row of result.rows) batch[row.n - 1]!.settle({ admitted: row.admitted, won: row.won });
    } catch (error) {
      // The statement rolled back whole (no nonce used, nothing claimed): one call PostgreSQL
      // refuses must not fail the others, so each is tried again alone.
      if (batch.length > 1) await Promise.all(batch.map((pending) => this.send([pending])));
      else batch[0]!.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
