import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { pruneHistory } from '../../../electron/core/history/retention';
import { OutboxRepository } from '../../../electron/core/outbox/repository';
import { ScanRepository } from '../../../electron/core/scan/scan-repository';
import type { OutboxState } from '../../../shared/domain/scan';
import { tempDir } from '../../support/temp';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29, 4);
let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'r.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

function scan(label: string, ageDays: number, state: OutboxState | null): number {
  const repo = new OutboxRepository(db);
  const scans = new ScanRepository(db, repo);
  const at = NOW - ageDays * DAY;
  const { scanId, outboxId } = scans.record(
    {
      at,
      source: 'scanner',
      credentialKind: 'code',
      credentialKey: `code:${label}`,
      credentialDisplay: label,
      orderId: label,
      projectId: null,
      projectName: null,
      verdict: 'offline',
      reason: 'offline_queued',
      staff: '',
      windowName: 'w',
      poiId: null,
    },
    state === null
      ? undefined
      : { orderId: label, verifyToken: `t-${label}`, verifyTime: Math.floor(at / 1000), request: '{}', state: 'queued' },
  );
  if (outboxId !== null && state !== null) {
    db.prepare(`UPDATE outbox SET state = ? WHERE id = ?`).run(state, outboxId);
    db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached) VALUES (?, ?, ?, 'x', 1)`).run(
      outboxId,
      at,
      at,
    );
  }
  return scanId;
}

const labels = () =>
  (db.prepare(`SELECT credential_display AS l FROM scans ORDER BY l`).all() as { l: string }[]).map((r) => r.l);

describe('history retention', () => {
  it('forgets finished history past the retention period and keeps anything unfinished, whatever its age', async () => {
    scan('old-verified', 400, 'verified');
    scan('old-rejected', 400, 'rejected');
    scan('old-refused-no-request', 400, null);
    scan('old-queued', 400, 'queued');
    scan('old-attention', 400, 'needs_attention');
    const handled = scan('old-handled', 400, 'needs_attention');
    db.prepare(
      `INSERT INTO outbox_resolutions (outbox_id, at, actor, note) SELECT id, ?, 'sup', 'refunded' FROM outbox WHERE scan_id = ?`,
    ).run(NOW, handled);
    scan('recent-verified', 10, 'verified');

    expect((await pruneHistory(db, 365, NOW)).scans).toBe(4);
    expect(labels()).toEqual(['old-attention', 'old-queued', 'recent-verified']);
    // Nothing is left dangling: every request and attempt belongs to a scan still here.
    expect(db.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()).toEqual({ n: 3 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE outbox_id NOT IN (SELECT id FROM outbox)`).get()).toEqual({
      n: 0,
    });
    expect((await pruneHistory(db, 365, NOW)).scans).toBe(0);
  });

  it('gives the event loop its turn between batches, and stops between them when asked', async () => {
    // 600 old scans without a request, written in one transaction: two batches (500 and 100).
    db.transaction(() => {
      for (let i = 0; i < 600; i += 1) scan(`old-${i}`, 400, null);
    })();
    // Queued before the prune starts: it runs only if the loop gets its turn between batches.
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const pruned = await pruneHistory(db, 365, NOW);
    expect(pruned.scans).toBe(600);
    expect(ranBetween).toBe(true);
    db.transaction(() => {
      for (let i = 0; i < 600; i += 1) scan(`again-${i}`, 400, null);
    })();
    let asked = 0;
    expect((await pruneHistory(db, 365, NOW, () => (asked += 1) === 1)).scans).toBe(500);
    expect(labels()).toHaveLength(100);
  });

  it('drops voucher orders whose visit date is past the horizon', async () => {
    db.prepare(
      `INSERT INTO voucher_orders VALUES ('1', NULL, 0, '2025-01-01', 'h', 1), ('2', NULL, 0, '2026-11-29', 'h', 1)`,
    ).run();
    db.prepare(`INSERT INTO voucher_credentials VALUES ('code:A', '1', 'p', NULL, 'qrcode', 1)`).run();
    expect((await pruneHistory(db, 365, NOW)).voucherOrders).toBe(1);
    expect(db.prepare(`SELECT order_id FROM voucher_orders`).all()).toEqual([{ order_id: '2' }]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM voucher_credentials`).get()).toEqual({ n: 0 });
  });
});

describe('history retention and the handled rule (defects issue, item 10)', () => {
  it('never forgets an item marked handled and then retried while it is queued again', async () => {
    const retried = scan('old-handled-then-retried', 400, 'needs_attention');
    db.prepare(
      `INSERT INTO outbox_resolutions (outbox_id, at, actor, note) SELECT id, ?, 'sup', 'handled' FROM outbox WHERE scan_id = ?`,
    ).run(NOW - 2 * DAY, retried);
    // The supervisor's "retry now" after the note: queued, changed after its resolution.
    db.prepare(`UPDATE outbox SET state = 'queued', updated_at = ? WHERE scan_id = ?`).run(NOW - DAY, retried);
    await pruneHistory(db, 365, NOW);
    expect(labels()).toEqual(['old-handled-then-retried']);
  });
});
