import { useState } from 'react';
import { Outcome } from '../../../shared/domain/history';
import type { ShiftReport } from '../../../shared/domain/supervisor';
import type { Language } from '../../../shared/domain/status';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { yuan } from '../../../shared/domain/money';
import { printReport } from '../../shared/print';
import type { HistoryFilter } from '../../../shared/domain/history';
import { ExportButton } from './ExportButton';
import { FigureList } from './FigureList';
import { HourChart } from '../../shared/HourChart';
import { ProductTable } from '../../shared/ProductTable';

const stamp = (language: Language, ms: number) =>
  `${new Date(ms).toLocaleDateString(language, { timeZone: 'Asia/Shanghai' })} ${formatTime(language, ms)}`;

/**
 * The open shift's counts, closing it, and printing a report. Printing is the page's own print
 * (print CSS shows only the report); in Electron main turns the same page into a PDF.
 */
export function ShiftPanel() {
  const t = useT();
  const { data: report, setData: setReport, error, setError } = useSupervisorData('supervisor.shift.current', {});
  const [confirming, setConfirming] = useState(false);

  const close = async () => {
    setConfirming(false);
    const result = await supervisorCall('supervisor.shift.close', {});
    if (result.ok) setReport(result.value);
    else setError(result.error);
  };
  const print = async () => {
    const result = await supervisorCall('supervisor.printReport', report?.closeId ? { closeId: report.closeId } : {});
    if (!result.ok) return setError(result.error);
    setReport(result.value);
    printReport('shift', setError);
  };

  return (
    <div className="sup-panel" data-testid="shift">
      <div className="sup-actions no-print">
        {report?.closeId === null &&
          (confirming ? (
            <>
              <span>{t('sup.shift.confirm')}</span>
              <button type="button" className="danger" onClick={() => void close()} data-testid="shift-close-confirm">
                {t('sup.shift.close')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('sup.cancel')}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} data-testid="shift-close">
              {t('sup.shift.close')}
            </button>
          ))}
        <button type="button" onClick={() => void print()} data-testid="shift-print">
          {t('sup.shift.print')}
        </button>
        {report && <ExportButton filter={shiftFilter(report)} label="sup.shift.exportCsv" testId="export-shift" />}
      </div>
      {error && <p className="error">{t(errorKey(error))}</p>}
      {report && <ReportSheet report={report} />}
    </div>
  );
}

/**
 * The scans a report covers: an operator's shift by its id (exact), a window-wide shift by its
 * period, whose end is inclusive in the report and exclusive in the filter.
 */
function shiftFilter(report: ShiftReport): HistoryFilter {
  return report.shift ? { shiftId: report.shift.id } : { from: report.from, to: report.to + 1 };
}

function ReportSheet({ report }: { report: ShiftReport }) {
  const t = useT();
  const language = useApp((s) => s.language);
  return (
    <article className="print-report" data-testid="shift-report">
      <h2>{report.closeId === null ? t('sup.shift.openTitle') : t('sup.shift.closedTitle', { id: report.closeId })}</h2>
      <p>
        {t('status.window')}: {report.windowName}
        {report.poiId && ` · ${t('sup.poi', { id: report.poiId })}`}
      </p>
      {report.shift && (
        <p data-testid="shift-operator">
          {t('sup.shift.operator', { staffNo: report.shift.operatorNo, name: report.shift.operatorName })}
          {report.shift.closeKind && ` · ${t(`sup.shift.closeKind.${report.shift.closeKind}`)}`}
        </p>
      )}
      <p>{t('sup.shift.period', { from: stamp(language, report.from), to: stamp(language, report.to) })}</p>
      <FigureList
        figures={[
          { label: 'sup.fig.scans', value: report.total, id: 'scans' },
          { label: 'sup.fig.people', value: report.people, id: 'people' },
          { label: 'sup.fig.amount', value: yuan(report.amountFen), id: 'amount' },
          { label: 'sup.fig.offlineAccepted', value: report.offlineAccepted, id: 'offline' },
          { label: 'sup.fig.offlineUnsynced', value: report.offlineUnsynced, id: 'unsynced' },
          { label: 'sup.fig.queued', value: report.byOutcome.pending, id: 'queued' },
          { label: 'sup.fig.conflicts', value: report.byOutcome.conflict, id: 'conflicts' },
          { label: 'sup.fig.needsAttention', value: report.byOutcome.needs_attention, id: 'attention' },
        ]}
      />
      <table className="sup-table">
        <tbody>
          {Outcome.options.map((o) => (
            <tr key={o}>
              <th>{t(`sup.outcome.${o}`)}</th>
              <td data-testid={`count-${o}`}>{report.byOutcome[o] ?? 0}</td>
            </tr>
          ))}
          <tr>
            <th>{t('sup.shift.total')}</th>
            <td data-testid="count-total">{report.total}</td>
          </tr>
        </tbody>
      </table>
      <HourChart entriesByHour={report.entriesByHour} peakHour={report.peakHour} />
      <h3>{t('sup.shift.byProject')}</h3>
      <ProductTable rows={report.byProject} className="sup-table" />
      <p className="print-only">{t('sup.shift.signature')}</p>
    </article>
  );
}
