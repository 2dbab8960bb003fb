import { useT } from '../../i18n/useT';
import { useShift } from '../../stores/shift';
import './shift.css';
import { ShiftFigures } from './ShiftFigures';

/**
 * The shift just ended here, shown while the window waits for the next operator. Printing is
 * the page's own print (its print CSS shows only the figures, hourly chart included).
 */
export function EndedShift() {
  const t = useT();
  const ended = useShift((s) => s.ended);
  if (!ended) return null;
  return (
    <section className="shift-card shift-ended" data-testid="shift-ended">
      <ShiftFigures report={ended} testId="ended" />
      <div className="shift-actions no-print">
        <button type="button" data-testid="print-shift-report" onClick={() => window.print()}>
          {t('shift.print')}
        </button>
        <button type="button" onClick={() => useShift.getState().dismiss()}>
          {t('shift.dismiss')}
        </button>
      </div>
    </section>
  );
}

/**
 * What the operator who just signed in takes over: the figures of the shift before, and what is
 * still in the queue now (it syncs by itself) or needs a supervisor.
 */
export function HandedOver() {
  const t = useT();
  const welcome = useShift((s) => s.welcome);
  if (!welcome) return null;
  return (
    <section className="shift-card shift-welcome" data-testid="handed-over" role="status">
      <h2>{t('shift.handedOver.title')}</h2>
      <p data-testid="handed-over-queued" data-count={welcome.queued} className={welcome.queued > 0 ? 'shift-attention' : ''}>
        {welcome.queued > 0 ? t('shift.handedOver.queued', { n: welcome.queued }) : t('shift.handedOver.noQueue')}
      </p>
      {welcome.needsAttention > 0 && (
        <p data-testid="handed-over-attention" data-count={welcome.needsAttention} className="shift-attention">
          {t('shift.handedOver.attention', { n: welcome.needsAttention })}
        </p>
      )}
      {welcome.handedOver && <ShiftFigures report={welcome.handedOver} testId="previous" />}
      <button
        type="button"
        className="primary"
        autoFocus
        data-testid="handed-over-ok"
        onClick={() => useShift.getState().dismiss()}
      >
        {t('shift.handedOver.ok')}
      </button>
    </section>
  );
}
