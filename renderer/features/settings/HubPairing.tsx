import { useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';

/**
 * The site hub (issue 17): pair this window with the hub's one-time code, see whether the hub is
 * reachable and what is still to send, or unpair. The credential the hub gives stays in the core.
 */
export function HubPairing() {
  const t = useT();
  const { data: status, setData: setStatus, error, setError } = useSupervisorData('hub.status', {});
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);

  const pair = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await supervisorCall('hub.pair', { url: url.trim(), code });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setStatus(result.value);
    setCode('');
  };
  const unpair = async () => {
    if (!window.confirm(t('hub.unpairConfirm'))) return;
    setError(null);
    const result = await supervisorCall('hub.unpair', {});
    if (result.ok) setStatus(result.value);
    else setError(result.error);
  };

  return (
    <section className="sup-panel sup-settings" data-testid="hub-pairing">
      <fieldset>
        <legend>{t('hub.title')}</legend>
        {status?.paired === true ? (
          <>
            <p data-testid="hub-state">{t('hub.paired', { url: status.url })}</p>
            <p className={status.reachable === false ? 'error' : 'muted'} data-testid="hub-reachable">
              {status.reachable === null ? t('hub.notTried') : status.reachable ? t('hub.reachable') : t('hub.unreachable')}
            </p>
            {status.lastContactAt !== null && (
              <p className="muted">{t('hub.lastContact', { time: new Date(status.lastContactAt).toLocaleString() })}</p>
            )}
            <p className="muted">
              {t('hub.pending', { count: String(status.pendingChanges) })} ·{' '}
              {t('hub.unclaimed', { count: String(status.unclaimed) })}
            </p>
            <div className="sup-actions">
              <button type="button" onClick={() => void unpair()} data-testid="hub-unpair">
                {t('hub.unpair')}
              </button>
            </div>
          </>
        ) : (
          <form onSubmit={(e) => void pair(e)}>
            <p data-testid="hub-state">{t('hub.notPaired')}</p>
            <p className="muted">{t('hub.hint')}</p>
            <label>
              {t('hub.url')}
              <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" required data-testid="hub-url" />
            </label>
            <label>
              {t('hub.code')}
              <input
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoComplete="off"
                maxLength={12}
                required
                data-testid="hub-code"
              />
            </label>
            <div className="sup-actions">
              <button type="submit" className="primary" disabled={busy} data-testid="hub-pair">
                {t('hub.pair')}
              </button>
            </div>
          </form>
        )}
        {error && (
          <p className="error" role="alert" data-testid="hub-error">
            {t(errorKey(error))}
          </p>
        )}
      </fieldset>
    </section>
  );
}
