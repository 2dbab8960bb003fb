import { useState } from 'react';
import { Outcome, type HistoryFilter } from '../../../shared/domain/history';
import type { DayView } from '../../../shared/domain/operators';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { yuan } from '../../../shared/domain/money';
import { printReport } from '../../shared/print';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { ExportButton } from './ExportButton';
import { FigureList, type Figure } from './FigureList';
import { HourChart } from '../../shared/HourChart';

const DAY_MS = 86_400_000;
/** Business days are Beijing dates (UTC+8 all year); the filter wants unix ms. */
const startOf = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const dateOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const shift = (date: string, days: number) => dateOf(startOf(date) + days * DAY_MS);
/**
 * A business day at a glance: entries per hour with the peak, the headline figures, and the day by
 * product, operator and outcome, with CSV exports for the day or a range and a printable report.
 */
export function DayPanel() {
  const t = useT();
  const [date, setDate] = useState(() => dateOf(Date.now()));
  const { data: day, error, setError } = useSupervisorData('supervisor.dayView', { date });
  const [range, setRange] = useState(() => ({ from: shift(dateOf(Date.now()), -6), to: dateOf(Date.now()) }));
  const rangeOk = range.from !== '' && range.to !== '' && range.from <= range.to;
  const dayFilter: HistoryFilter = { from: startOf(date), to: startOf(date) + DAY_MS };
  const rangeFilter: HistoryFilter = { from: startOf(range.from), to: startOf(range.to) + DAY_MS };

  return (
    <div className="sup-panel" data-testid="day">
      <div className="sup-actions no-print">
        <button type="button" onClick={() => setDate(shift(date, -1))} data-testid="day-prev">
          {t('sup.day.prev')}
        </button>
        <label className="sup-inline">
          {t('sup.day.date')}
          <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} data-testid="day-date" />
        </label>
        <button type="button" onClick={() => setDate(shift(date, 1))} data-testid="day-next">
          {t('sup.day.next')}
        </button>
        <button type="button" onClick={() => printReport('day', setError)} data-testid="day-print">
          {t('sup.day.print')}
        </button>
        <ExportButton filter={dayFilter} label="sup.day.exportDay" testId="export-day" />
      </div>
      <div className="sup-actions no-print">
        <label className="sup-inline">
          {t('sup.day.rangeFrom')}
          <input
            type="date"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
            data-testid="range-from"
          />
        </label>
        <label className="sup-inline">
          {t('sup.day.rangeTo')}
          <input
            type="date"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: e.target.value })}
            data-testid="range-to"
          />
        </label>
        {rangeOk ? (
          <ExportButton filter={rangeFilter} label="sup.day.exportRange" testId="export-range" />
        ) : (
          <span className="error">{t('sup.day.rangeBad')}</span>
        )}
      </div>
      {error && <p className="error">{t(errorKey(error))}</p>}
      {day && <DaySheet day={day} />}
    </div>
  );
}

function DaySheet({ day }: { day: DayView }) {
  const t = useT();
  const entries = day.entriesByHour.reduce((sum, n) => sum + n, 0);
  const figures: Figure[] = [
    { label: 'sup.fig.scans', value: day.total, id: 'scans' },
    { label: 'sup.fig.entries', value: entries, id: 'entries' },
    { label: 'sup.fig.people', value: day.people, id: 'people' },
    { label: 'sup.fig.amount', value: yuan(day.amountFen), id: 'amount' },
    { label: 'sup.fig.offlineAccepted', value: day.offlineAccepted, id: 'offline' },
    { label: 'sup.fig.offlineUnsynced', value: day.offlineUnsynced, id: 'unsynced' },
    { label: 'sup.fig.conflicts', value: day.byOutcome.conflict ?? 0, id: 'conflicts' },
    { label: 'sup.fig.needsAttention', value: day.byOutcome.needs_attention ?? 0, id: 'attention' },
    { label: 'sup.day.undone', value: day.byOutcome.undone ?? 0, id: 'undone' },
  ];
  return (
    <article className="print-report" data-testid="day-report">
      <h2>{t('sup.day.title', { date: day.date })}</h2>
      <FigureList figures={figures} />
      <HourChart entriesByHour={day.entriesByHour} peakHour={day.peakHour} />
      <div className="sup-columns">
        <section>
          <h3>{t('sup.day.byProduct')}</h3>
          <table className="sup-table" data-testid="day-products">
            <thead>
              <tr>
                <th>{t('sup.col.project')}</th>
                <th>{t('sup.col.scans')}</th>
                <th>{t('sup.col.entries')}</th>
                <th>{t('sup.col.people')}</th>
                <th>{t('sup.col.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {day.byProduct.map((p) => (
                <tr key={p.product}>
                  <td>{p.product || t('sup.shift.noProject')}</td>
                  <td>{p.total}</td>
                  <td>{p.entries}</td>
                  <td>{p.people}</td>
                  <td>{yuan(p.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>{t('sup.day.byOperator')}</h3>
          <table className="sup-table" data-testid="day-operators">
            <thead>
              <tr>
                <th>{t('sup.ops.staffNo')}</th>
                <th>{t('sup.ops.name')}</th>
                <th>{t('sup.col.scans')}</th>
                <th>{t('sup.col.entries')}</th>
                <th>{t('sup.col.people')}</th>
              </tr>
            </thead>
            <tbody>
              {day.byOperator.map((o) => (
                <tr key={o.operatorNo}>
                  <td>{o.operatorNo || '—'}</td>
                  <td>{o.name}</td>
                  <td>{o.total}</td>
                  <td>{o.entries}</td>
                  <td>{o.people}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>{t('sup.day.byOutcome')}</h3>
          <table className="sup-table" data-testid="day-outcomes">
            <tbody>
              {Outcome.options.map((o) => (
                <tr key={o}>
                  <th>{t(`sup.outcome.${o}`)}</th>
                  <td data-testid={`day-outcome-${o}`}>{day.byOutcome[o] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </article>
  );
}
