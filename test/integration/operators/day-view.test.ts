import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DayView } from '../../../shared/domain/operators';
import { addScans } from '../supervisor/rows';
import { operatorHarness } from './harness';

let h: ReturnType<typeof operatorHarness>;
beforeEach(() => {
  h = operatorHarness();
});
afterEach(() => h.remove());

/** Unix ms of an hour and minute on 2026-11-29, Beijing time. */
const at = (hour: number, minute = 0) =>
  Date.parse(`2026-11-29T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);

describe('day view (issue 15)', () => {
  it('counts entries per Beijing hour with the peak, and breaks the day down by product, operator and outcome', async () => {
    await h.start();
    const session = await h.firstSupervisor();
    addScans(h.state.core!.db, [
      // The day before and the day after, in Beijing time, stay out.
      { at: at(0) - 1, display: 'OUT1', project: '成人门票', state: 'verified', operatorNo: 'A017' },
      { at: at(0) + 24 * 3_600_000, display: 'OUT2', project: '成人门票', state: 'verified', operatorNo: 'A017' },
      { at: at(0), display: 'S1', project: '成人门票', state: 'verified', operatorNo: 'A017' },
      { at: at(9, 5), display: 'S2', project: '成人门票', state: 'verified', operatorNo: 'A017' },
      { at: at(9, 40), display: 'S3', project: '索道往返', state: 'queued', operatorNo: 'B020' },
      { at: at(9, 59), display: 'S4', project: '成人门票', state: 'verified', operatorNo: 'B020' },
      { at: at(10, 1), display: 'S5', project: '索道往返', state: 'rejected', operatorNo: 'B020' },
      { at: at(14, 30), display: 'S6', project: '成人门票', state: 'verified', operatorNo: 'A017' },
      { at: at(15), display: 'S7', project: null, operatorNo: 'A017' },
      { at: at(23, 59), display: 'S8', project: '成人门票', state: 'needs_attention', operatorNo: 'A017' },
    ]);
    const day = await h.value<DayView>('supervisor.dayView', { session, date: '2026-11-29' });
    const expected = Array.from({ length: 24 }, () => 0);
    expected[0] = 1;
    expected[9] = 3;
    expected[14] = 1;
    expect(day.entriesByHour).toEqual(expected);
    expect(day.peakHour).toBe(9);
    expect(day.total).toBe(8);
    expect(day.byOutcome).toEqual({
      verified: 4,
      pending: 1,
      rejected: 1,
      refused: 1,
      needs_attention: 1,
      conflict: 0,
      already_used: 0,
      refunded: 0,
      undone: 0,
    });
    expect(day.byProduct).toEqual([
      { product: '成人门票', total: 5, entries: 4, people: 4, amountFen: 0 },
      { product: '索道往返', total: 2, entries: 1, people: 1, amountFen: 0 },
      { product: '', total: 1, entries: 0, people: 0, amountFen: 0 },
    ]);
    expect(day.byOperator).toEqual([
      // Neither 工号 is in the operators table (rows written as by an older window): no name.
      { operatorNo: 'A017', name: '', total: 5, entries: 3, people: 3 },
      { operatorNo: 'B020', name: '', total: 3, entries: 2, people: 2 },
    ]);
    const empty = await h.value<DayView>('supervisor.dayView', { session, date: '2026-11-30' });
    expect(empty).toMatchObject({ total: 1, peakHour: 0 });
    expect(await h.call('supervisor.dayView', { session, date: '29.11.2026' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
  });
});
