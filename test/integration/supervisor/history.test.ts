import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { buildQuery, HistoryRepository } from '../../../electron/core/supervisor/history-repository';
import type { HistoryFilter } from '../../../shared/domain/history';
import { tempDir } from '../../support/temp';
import { addScans } from './rows';

let dir: ReturnType<typeof tempDir>;
let db: Db;
let history: HistoryRepository;
const T = Date.UTC(2026, 10, 1, 2, 0, 0);

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'h.db'));
  history = new HistoryRepository(db);
  addScans(db, [
    { at: T, display: 'A1B2C3D4', orderId: '8000000000000000001', project: '入园', state: 'verified', logid: 'LOG-1' },
    { at: T + 1000, display: 'A1B2ZZZZ', orderId: '8000000000000000002', project: '索道', state: 'rejected', staff: '李四' },
    {
      at: T + 2000,
      display: '110105********002X',
      kind: 'id_card',
      orderId: '8100000000000000003',
      project: '入园',
      state: 'queued',
    },
    { at: T + 3000, display: 'NOPE0001', orderId: null, project: null },
    {
      at: T + 4000,
      display: 'Q9Q9Q9Q9',
      orderId: '8200000000000000005',
      project: '入园',
      state: 'needs_attention',
      reason: 'configuration · 2190004',
    },
    // A row written wrongly by some older version: the clear number must still never come out.
    { at: T + 5000, display: '11010519491231002X', kind: 'id_card', orderId: '8300000000000000006', state: 'verified' },
  ]);
});
afterEach(() => {
  db.close();
  dir.remove();
});

const ids = (filter: HistoryFilter) => history.page(filter, undefined, 50).rows.map((r) => r.credentialDisplay);

describe('supervisor history', () => {
  it('lists every scan newest first with its outcome, attempts and logids, staff, window and POI', () => {
    const { rows } = history.page({}, undefined, 50);
    expect(rows).toHaveLength(6);
    const first = rows.at(-1)!;
    expect(first).toMatchObject({
      outcome: 'verified',
      staff: '张三',
      windowName: '东门1号',
      poiId: '7000000000000000001',
      projectName: '入园',
    });
    expect(first.attempts).toEqual([expect.objectContaining({ logid: 'LOG-1', reached: true })]);
    expect(rows.map((r) => r.outcome)).toEqual(['verified', 'needs_attention', 'refused', 'pending', 'rejected', 'verified']);
  });

  it('filters by date range, outcome, staff and project', () => {
    expect(ids({ from: T + 1000, to: T + 3000 })).toEqual(['110105********002X', 'A1B2ZZZZ']);
    expect(ids({ outcome: 'refused' })).toEqual(['NOPE0001']);
    expect(ids({ outcome: 'pending' })).toEqual(['110105********002X']);
    expect(ids({ staff: '李四' })).toEqual(['A1B2ZZZZ']);
    expect(ids({ project: '入园', outcome: 'verified' })).toEqual(['A1B2C3D4']);
  });

  it('finds by prefix of a code or an order id, through index ranges', () => {
    expect(ids({ search: 'A1B2' })).toEqual(['A1B2ZZZZ', 'A1B2C3D4']);
    expect(ids({ search: '81000' })).toEqual(['110105********002X']);
    expect(ids({ search: '8000000000000000002' })).toEqual(['A1B2ZZZZ']);
    expect(ids({ search: 'A1B2', outcome: 'verified' })).toEqual(['A1B2C3D4']);
    const plan = (filter: HistoryFilter) => {
      const { sql, params } = buildQuery(filter, undefined, 50);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    };
    const search = plan({ search: 'A1B2' });
    expect(search).toMatch(/scans_order \(order_id>\? AND order_id<\?\)/);
    expect(search).toMatch(/scans_display \(credential_display>\? AND credential_display<\?\)/);
    expect(plan({ from: T, to: T + 1 })).toMatch(/scans_at/);
    expect(plan({ staff: '张三' })).toMatch(/scans_staff_at/);
  });

  it('never shows a clear ID number, even one stored by mistake', () => {
    const all = JSON.stringify(history.page({}, undefined, 50));
    expect(all).not.toContain('11010519491231002X');
    expect(all).toContain('110105********002X');
  });

  it('pages by keyset without gaps or repeats', () => {
    const seen: number[] = [];
    let page = history.page({}, undefined, 4);
    seen.push(...page.rows.map((r) => r.id));
    expect(page.next).toBeDefined();
    page = history.page({}, page.next, 4);
    seen.push(...page.rows.map((r) => r.id));
    expect(page.next).toBeUndefined();
    expect(seen).toEqual([6, 5, 4, 3, 2, 1]);
  });
});
