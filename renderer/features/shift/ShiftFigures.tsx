import type { ShiftReport } from '../../../shared/domain/supervisor';
import { formatDate, formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { HourChart } from '../../shared/HourChart';
import { ProductTable } from '../../shared/ProductTable';
import { useApp } from '../../stores/app';

/** The outcomes a handover is about: what went through, what is still to sync, what needs a supervisor. */
const FIGURES = ['verified', 'pending', 'conflict', 'needs_attention', 'rejected', 'refused'] as const;

/**
 * A closed shift's figures as the core computed and stored them, for the operator who closed it
 * and the one who takes over. `testId` tells the two apart on screen.
 */
export function ShiftFigures({ report, testId }: { report: ShiftReport; testId: string }) {
  const t = useT();
  const language = useApp((s) => s.language);
  const stamp = (ms: number) => `${formatDate(language, ms)} ${formatTime(language, ms)}`;
  const kind = report.shift?.closeKind ?? null;
  return (
    <article className="shift-figures print-report" data-testid={testId}>
      {report.shift && (
        <h3>
          {t(kind === null ? 'shift.report.title' : `shift.closed.${kind}`)} · {report.shift.operatorName}（
          {report.shift.operatorNo}）
        </h3>
      )}
      <p className="muted">
        {report.windowName} · {t('sup.shift.period', { from: stamp(report.from), to: stamp(report.to) })}
      </p>
      <table className="shift-table">
        <tbody>
          <tr>
            <th>{t('sup.shift.total')}</th>
            <td data-testid={`${testId}-total`}>{report.total}</td>
          </tr>
          {FIGURES.map((o) => (
            <tr key={o} className={report.byOutcome[o] > 0 && o !== 'verified' ? 'shift-attention' : undefined}>
              <th>{t(`sup.outcome.${o}`)}</th>
              <td data-testid={`${testId}-${o}`}>{report.byOutcome[o]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <HourChart entriesByHour={report.entriesByHour} peakHour={report.peakHour} />
      {report.byProject.length > 0 && <ProductTable rows={report.byProject} className="shift-table" />}
      <p className="print-only">{t('sup.shift.signature')}</p>
    </article>
  );
}
