import { useState } from 'react';
import type { Reconciliation } from '../../../shared/domain/reconciliation';
import { businessDate } from '../../../shared/time';
import { formatDate, formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { yuan } from '../../../shared/domain/money';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';

/**
 * 对账: Douyin's verify records of the window's POI for one Beijing day against this window's
 * coupon verifies. Shows the last stored result (the supervisor's or the daily job's).
 */
export function ReconcilePanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const { data: last, setData, error, setError } = useSupervisorData('supervisor.reconcile.last', {});
  const [day, setDay] = useState(() => businessDate(Date.now()));
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    setError(null);
    const result = await supervisorCall('supervisor.reconcile.run', { day });
    setRunning(false);
    if (result.ok) setData(result.value);
    else setError(result.error);
  };
  const when = (ms: number | null) => (ms === null ? '—' : `${formatDate(language, ms)} ${formatTime(language, ms)}`);

  return (
    <div className="sup-panel" data-testid="reconcile">
      <p className="muted">{t('reconcile.hint')}</p>
      <form
        className="sup-row-actions"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          {t('reconcile.day')}
          <input
            type="date"
            value={day}
            max={businessDate(Date.now())}
            onChange={(e) => setDay(e.target.value)}
            data-testid="reconcile-day"
          />
        </label>
        <button type="submit" className="primary" disabled={running || day === ''} data-testid="reconcile-run">
          {running ? t('reconcile.running') : t('reconcile.run')}
        </button>
      </form>
      {error && <p className="error">{t(errorKey(error))}</p>}
      {last === null && <p className="muted">{t('reconcile.none')}</p>}
      {last && <Result result={last} when={when} />}
    </div>
  );
}

function Result({ result, when }: { result: Reconciliation; when: (ms: number | null) => string }) {
  const t = useT();
  return (
    <section data-testid="reconcile-result" data-state={result.state}>
      <p>
        {t('reconcile.summary', {
          day: result.day,
          poi: result.poiId,
          douyin: result.douyinRecords,
          local: result.localCertificates,
          differences: result.differences.length,
        })}
      </p>
      <p className="muted">
        {t(`reconcile.trigger.${result.trigger}`)} {result.actor ?? ''} · {when(result.finishedAt)} ·{' '}
        {t(`reconcile.state.${result.state}`)}
        {result.failure ? ` (${result.failure})` : ''}
      </p>
      {result.state !== 'failed' && result.differences.length === 0 && (
        <p className="outcome-verified" data-testid="reconcile-agree">
          {t('reconcile.agree')}
        </p>
      )}
      {result.differences.length > 0 && (
        <table className="sup-table" data-testid="reconcile-differences">
          <thead>
            <tr>
              <th>{t('reconcile.col.kind')}</th>
              <th>{t('reconcile.col.certificate')}</th>
              <th>{t('reconcile.col.order')}</th>
              <th>{t('reconcile.col.product')}</th>
              <th>{t('reconcile.col.amount')}</th>
              <th>{t('reconcile.col.verifiedAt')}</th>
              <th>{t('reconcile.col.cancelledAt')}</th>
            </tr>
          </thead>
          <tbody>
            {result.differences.map((d) => (
              <tr key={`${d.kind}-${d.certificateId}-${d.verifyId ?? ''}`} data-kind={d.kind}>
                <td>{t(`reconcile.kind.${d.kind}`)}</td>
                <td className="code">{d.certificateId}</td>
                <td className="code">{d.orderId ?? '—'}</td>
                <td>{d.title ?? '—'}</td>
                <td>{d.amountFen === null ? '—' : `¥${yuan(d.amountFen)}`}</td>
                <td>{when(d.verifiedAt)}</td>
                <td>{when(d.cancelledAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
