import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { buildQuery, countMatches, HistoryRepository } from '../../../electron/core/supervisor/history-repository';
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
    expect(first.attemptCount).toBe(1);
    expect(history.attempts(first.id)).toEqual([expect.objectContaining({ logid: 'LOG-1', reached: true })]);
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
    const plan = (filter: HistoryFilter, walk?: number) => {
      const { sql, params } = buildQuery(filter, undefined, 50, undefined, walk);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    };
    // Each range is read from its index alone (with another filter, still its own range), a broad
    // prefix walks a time-ordered index, and only the newest page is joined to the rest.
    const search = plan({ search: 'A1B2' });
    expect(search).toMatch(/COVERING INDEX scans_order_at \(order_id>\? AND order_id<\?\)/);
    expect(search).toMatch(/COVERING INDEX scans_display_at \(credential_display>\? AND credential_display<\?\)/);
    expect(search).toMatch(/SCAN m\nSEARCH s USING INTEGER PRIMARY KEY/);
    expect(search).not.toMatch(/SCAN scans\b|SCAN s\b/);
    const filtered = plan({ search: 'A1B2', outcome: 'verified' });
    expect(filtered).toMatch(/INDEX scans_order_at \(order_id>\? AND order_id<\?\)/);
    expect(filtered).toMatch(/INDEX scans_display_at \(credential_display>\? AND credential_display<\?\)/);
    expect(filtered).not.toMatch(/scans_outcome_at/);
    // A broad prefix walks a time-ordered index newest first, index only, as far as its budget;
    // only the scans walked are read, by rowid, and only the matches among them join the outbox.
    expect(plan({ search: 'A1B2' }, 800)).toBe(
      [
        'CO-ROUTINE w',
        'SCAN s USING COVERING INDEX scans_at',
        'SCAN w',
        'SEARCH s USING INTEGER PRIMARY KEY (rowid=?)',
        'SEARCH o USING INDEX sqlite_autoindex_outbox_1 (scan_id=?) LEFT-JOIN',
        'USE TEMP B-TREE FOR ORDER BY',
      ].join('\n'),
    );
    expect(plan({ search: 'A1B2', outcome: 'verified' }, 800)).toMatch(
      /^CO-ROUTINE w\nSEARCH s USING COVERING INDEX scans_outcome_at \(outcome=\?\)\n/,
    );
    expect(buildQuery({ search: 'A1B2' }, undefined, 50, undefined, 800).sql).toContain('LIMIT 800');
    expect(plan({ from: T, to: T + 1 })).toMatch(/scans_at/);
    expect(plan({ staff: '张三' })).toMatch(/scans_staff_at/);
  });

  it('pages a search newest first across both ranges, each scan once, with the filters applied in each range', () => {
    // Seven more matches than a page: codes, order ids, and a scan matching on both (its display is its order id).
    addScans(db, [
      ...Array.from({ length: 7 }, (_, i) => ({ at: T + 10_000 + i * 1000, display: `A1B2X${i}`, state: 'verified' as const })),
      { at: T + 20_000, display: '8000000000000000099', kind: 'order_id', orderId: '8000000000000000099', state: 'verified' },
      { at: T + 21_000, display: 'A1B2LAST', staff: '李四', state: 'rejected' },
    ]);
    const pages = (filter: HistoryFilter, size: number) => {
      const seen: string[] = [];
      let page = history.page(filter, undefined, size);
      for (let n = 0; n < 20; n += 1) {
        seen.push(...page.rows.map((r) => r.credentialDisplay));
        if (!page.next) break;
        page = history.page(filter, page.next, size);
      }
      return seen;
    };
    const codes = ['A1B2LAST', ...Array.from({ length: 7 }, (_, i) => `A1B2X${6 - i}`), 'A1B2ZZZZ', 'A1B2C3D4'];
    expect(pages({ search: 'A1B2' }, 3)).toEqual(codes);
    expect(pages({ search: '8000' }, 2)).toEqual(['8000000000000000099', 'A1B2ZZZZ', 'A1B2C3D4']);
    expect(pages({ search: 'A1B2', staff: '李四' }, 1)).toEqual(['A1B2LAST', 'A1B2ZZZZ']);
    expect(pages({ search: 'A1B2', outcome: 'verified', from: T + 12_000 }, 2)).toEqual(codes.slice(1, 6));
  });

  it('walks history for a prefix a fifth of the scans share, without counting again for a short second walk', () => {
    // 1,000 of 5,006 scans share 'WARM', more than the first count's 896: the first walk (128
    // newest) finds ~25, so the second walks 512 and fills the page. Counting to 7·512 first
    // would cost what that walk costs: the search goes ahead uncounted.
    addScans(
      db,
      Array.from({ length: 5000 }, (_, i) => ({
        at: T + 100_000 + i * 1000,
        display: i % 5 === 0 ? `WARM${i}` : `ELSE${i}`,
        state: 'verified' as const,
      })),
    );
    const prepared = vi.spyOn(db, 'prepare');
    const warm = Array.from({ length: 5000 }, (_, i) => 4999 - i)
      .filter((i) => i % 5 === 0)
      .map((i) => `WARM${i}`);
    expect(ids({ search: 'WARM' })).toEqual(warm.slice(0, 50));
    const texts = prepared.mock.calls.map(([sql]) => sql);
    expect(texts).toContain(countMatches(7 * 128));
    expect(texts).not.toContain(countMatches(7 * 512));
    expect(texts).toContain(buildQuery({ search: 'WARM' }, undefined, 50, undefined, 512).sql);
    prepared.mockRestore();
    const { sql, params } = buildQuery({ search: 'WARM' }, undefined, 50);
    expect((db.prepare(sql).all(params) as { credential_display: string }[]).map((r) => r.credential_display)).toEqual(
      warm.slice(0, 50),
    );
  });

  it('finds the newest matches of a prefix most scans share, the same whichever way it reads them', () => {
    // 800 of 1,206 scans share 'HOT', fewer than the first count's 896: the ranges answer; with
    // filters they must still agree with the ranges read directly.
    addScans(
      db,
      Array.from({ length: 1200 }, (_, i) => ({
        at: T + 100_000 + i * 1000,
        display: i % 3 === 2 ? `COLD${i}` : `HOT${i}`,
        staff: i % 2 === 0 ? '张三' : '李四',
        state: 'verified' as const,
      })),
    );
    const byRanges = (filter: HistoryFilter) => {
      const { sql, params } = buildQuery(filter, undefined, 50);
      return (db.prepare(sql).all(params) as { credential_display: string }[]).map((r) => r.credential_display);
    };
    const hot = Array.from({ length: 1200 }, (_, i) => i)
      .filter((i) => i % 3 !== 2)
      .reverse()
      .map((i) => `HOT${i}`);
    expect(ids({ search: 'HOT' })).toEqual(hot.slice(0, 50));
    expect(ids({ search: 'HOT' })).toEqual(byRanges({ search: 'HOT' }));
    const lisi = { search: 'HOT', staff: '李四', to: T + 100_000 + 600_000 };
    expect(ids(lisi)).toEqual(byRanges(lisi));
    // 599 is a COLD one (599 % 3 = 2): 597 is 李四's newest HOT before the cut.
    expect(ids(lisi)[0]).toBe('HOT597');
    // Fewer matches pass the filters than a page (33 of 李四's last 50): no budget fills one, and
    // once the count has seen all 800 the ranges answer, all of them.
    const late = { search: 'HOT', staff: '李四', from: T + 100_000 + 1_100_000 };
    expect(ids(late)).toHaveLength(33);
    expect(ids(late)).toEqual(byRanges(late));
    // A narrow prefix (39 matches) still reads its ranges: every COLD scan whose number starts with 11.
    const cold11 = Array.from({ length: 1200 }, (_, i) => 1199 - i)
      .filter((i) => i % 3 === 2 && String(i).startsWith('11'))
      .map((i) => `COLD${i}`);
    expect(cold11).toHaveLength(39);
    expect(ids({ search: 'COLD11' })).toEqual(cold11);
  });

  it('never shows a clear ID number, even one stored by mistake', () => {
    const all = JSON.stringify(history.page({}, undefined, 50));
    expect(all).not.toContain('11010519491231002X');
    expect(all).toContain('110105********002X');
  });

  it('pages a bounded range by its cursor alone, and a cursor past the range still ends at its bound', () => {
    const range = { from: T + 1000, to: T + 5000 };
    const first = history.page(range, undefined, 2);
    expect(first.rows.map((r) => r.id)).toEqual([5, 4]);
    const second = history.page(range, first.next, 2);
    expect(second.rows.map((r) => r.id)).toEqual([3, 2]);
    // The cursor bounds the walk; the range's own end would make SQLite walk back over page one.
    expect(buildQuery(range, first.next, 2).sql).not.toContain('@to');
    // A cursor the range does not hold (forged, or from another filter) does not widen it.
    expect(history.page(range, { at: T + 9000, id: 99 }, 50).rows.map((r) => r.id)).toEqual([5, 4, 3, 2]);
  });

  it("exports an item's attempt count and its logids in attempt order", () => {
    const outboxId = db.prepare('SELECT id FROM outbox WHERE scan_id = 1').pluck().get();
    // Later than LOG-1 and sorting before it: the order must be the attempts', not the text's.
    db.prepare(
      `INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, logid) VALUES (?, 1, 2, 'verified', 1, 'LOG-0')`,
    ).run(outboxId);
    const record = history.exportRecords({}, undefined, 50).find((r) => r[19] === 1)!;
    expect([record[12], record[14]]).toEqual([2, 'LOG-1 LOG-0']);
  });

  it('gives an opened row its attempts oldest first, and the page the same count; a scan never sent has none', () => {
    const outboxId = db.prepare('SELECT id FROM outbox WHERE scan_id = 1').pluck().get();
    db.prepare(
      `INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, logid) VALUES (?, 7, 8, 'transient:timeout', 0, NULL)`,
    ).run(outboxId);
    expect(history.attempts(1).map((a) => [a.logid, a.outcome, a.reached])).toEqual([
      ['LOG-1', 'verified', true],
      [null, 'transient:timeout', false],
    ]);
    expect(history.page({}, undefined, 50).rows.find((r) => r.id === 1)?.attemptCount).toBe(2);
    const unsent = history.page({}, undefined, 50).rows.find((r) => r.outboxId === null);
    expect(unsent?.attemptCount).toBe(0);
    expect(history.attempts(unsent!.id)).toEqual([]);
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
