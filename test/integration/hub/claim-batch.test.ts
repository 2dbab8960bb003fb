import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimBatcher } from '../../../hub/claim-batch';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { createPairingCode, pairWindow, revokeWindow } from '../../../hub/pairing';
import { startTestPostgres } from '../../support/hub';

let postgres: LocalPostgres;
let db: Db;

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
}, 30_000);

afterAll(async () => {
  await db?.end();
  await postgres?.stop();
});

async function window(name: string) {
  const { code } = await createPairingCode(db);
  const { windowId } = await pairWindow(db, { code, name });
  return { id: windowId, name };
}

const call = (w: { id: string; name: string }, nonce = randomUUID()) => ({ ...w, nonce });

describe('claims batched into one statement', () => {
  it('admits each nonce once and lets the first claim of a ticket win, inside one batch', async () => {
    const [a, b, revoked] = [await window('A'), await window('B'), await window('C')];
    await revokeWindow(db, revoked.id);
    // One statement in flight at a time: everything asked while the first runs goes in the second.
    const batcher = new ClaimBatcher(db, 1);
    const alone = batcher.claim(call(a), { key: 'code:alone', scanId: 'a-0' });
    const replayed = call(a);
    const batch = [
      batcher.claim(call(a), { key: 'code:shared', scanId: 'a-1' }),
      batcher.claim(call(b), { key: 'code:shared', scanId: 'b-1' }),
      batcher.claim(replayed, { key: 'code:replay-1', scanId: 'a-2' }),
      batcher.claim(replayed, { key: 'code:replay-2', scanId: 'a-3' }),
      batcher.claim(call(b), { key: 'code:retry', scanId: 'b-2' }),
      batcher.claim(call(b), { key: 'code:retry', scanId: 'b-2' }),
      batcher.claim(call(revoked), { key: 'code:revoked', scanId: 'c-1' }),
    ];
    expect(await alone).toEqual({ admitted: true, won: true });
    expect(await Promise.all(batch)).toEqual([
      { admitted: true, won: true },
      { admitted: true, won: false },
      { admitted: true, won: true },
      { admitted: false, won: false },
      { admitted: true, won: true },
      { admitted: true, won: true },
      { admitted: false, won: false },
    ]);
    const held = await db.query<{ ticket_key: string; scan_id: string }>(
      `SELECT ticket_key, scan_id FROM claims WHERE ticket_key LIKE 'code:%' ORDER BY ticket_key`,
    );
    expect(held.rows).toEqual([
      { ticket_key: 'code:alone', scan_id: 'a-0' },
      { ticket_key: 'code:replay-1', scan_id: 'a-2' },
      { ticket_key: 'code:retry', scan_id: 'b-2' },
      { ticket_key: 'code:shared', scan_id: 'a-1' },
    ]);
  });

  it('a call PostgreSQL refuses fails alone: the rest of its batch is claimed', async () => {
    const a = await window('F');
    const batcher = new ClaimBatcher(db, 1);
    const alone = batcher.claim(call(a), { key: 'code:before-bad', scanId: 'f-0' });
    const [bad, good] = await Promise.allSettled([
      // Text with a NUL byte: PostgreSQL refuses the whole statement it is in.
      batcher.claim(call(a), { key: 'code:bad\u0000key', scanId: 'f-1' }),
      batcher.claim(call(a), { key: 'code:beside-bad', scanId: 'f-2' }),
    ]);
    expect(await alone).toEqual({ admitted: true, won: true });
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: { admitted: true, won: true } });
  });

  it('two hub processes batching the same tickets at once, in opposite orders: each ticket won once', async () => {
    const [a, b] = [await window('D'), await window('E')];
    const otherPool = await openDb(postgres.url);
    try {
      const [one, two] = [new ClaimBatcher(db, 1), new ClaimBatcher(otherPool, 1)];
      // Rounds of the same 100 tickets, one process ascending, the other descending, each batch
      // queued behind a claim of its own so both batches run together. (Inserting in key order is
      // what keeps them from deadlocking; this test did not catch unordered inserts in 20 rounds.)
      for (let round = 0; round < 20; round++) {
        const keys = Array.from({ length: 100 }, (_, i) => `order:opposite-${round}-${i}:*`);
        const answers = await Promise.all([
          one.claim(call(a), { key: `order:lead-a-${round}:*`, scanId: 'a' }),
          two.claim(call(b), { key: `order:lead-b-${round}:*`, scanId: 'b' }),
          ...keys.map((key) => one.claim(call(a), { key, scanId: `a-${key}` })),
          ...[...keys].reverse().map((key) => two.claim(call(b), { key, scanId: `b-${key}` })),
        ]);
        expect(answers.every((answer) => answer.admitted)).toBe(true);
        expect(answers.filter((answer) => answer.won)).toHaveLength(keys.length + 2);
      }
      const held = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM claims WHERE ticket_key LIKE 'order:opposite-%'`,
      );
      expect(held.rows[0]?.n).toBe(20 * 100);
    } finally {
      await otherPool.end();
    }
  });
});
