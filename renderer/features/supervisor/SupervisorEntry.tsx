import { useEffect, useState, type FormEvent } from 'react';
import { NewPin, type AuthState } from '../../../shared/domain/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import { api } from '../../api';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { useSupervisor } from '../../stores/supervisor';
import './supervisor.css';

/**
 * The way into supervisor mode from the scan screen: asks for the PIN, or at first run offers to
 * set one. Staff without the PIN see nothing more than the button.
 */
export function SupervisorEntry() {
  const t = useT();
  const [auth, setAuth] = useState<AuthState | null>(null);
  const endedBecause = useSupervisor((s) => s.endedBecause);
  // Why supervisor mode ended shows for a while on the scan screen, then gets out of the way.
  useEffect(() => {
    if (!endedBecause) return;
    const timer = setTimeout(() => useSupervisor.setState({ endedBecause: null }), 8000);
    return () => clearTimeout(timer);
  }, [endedBecause]);

  const open = async () => {
    const result = await api.invoke('supervisor.auth', {});
    if (result.ok) setAuth(result.value);
  };

  return (
    <>
      <button type="button" className="sup-entry" data-testid="supervisor-entry" onClick={() => void open()}>
        {t('sup.entry')}
      </button>
      {endedBecause && !auth && <div className="sup-toast">{t(errorKey(endedBecause))}</div>}
      {auth && <PinDialog auth={auth} onClose={() => setAuth(null)} />}
    </>
  );
}

function PinDialog({ auth, onClose }: { auth: AuthState; onClose: () => void }) {
  const t = useT();
  const enter = useSupervisor((s) => s.enter);
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<'pinShape' | 'pinMismatch' | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRun = !auth.pinSet;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setProblem(null);
    if (firstRun) {
      if (!NewPin.safeParse(pin).success) return setProblem('pinShape');
      if (pin !== repeat) return setProblem('pinMismatch');
    }
    setBusy(true);
    const result = firstRun ? await api.invoke('supervisor.pin.set', { pin }) : await api.invoke('supervisor.unlock', { pin });
    setBusy(false);
    setPin('');
    setRepeat('');
    if (result.ok) {
      onClose();
      enter(result.value);
    } else setError(result.error);
  };

  return (
    <div className="sup-modal" role="dialog" aria-modal="true" aria-labelledby="sup-pin-title">
      <form className="sup-dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="sup-pin-title">{firstRun ? t('sup.pin.setTitle') : t('sup.pin.title')}</h2>
        {firstRun && <p className="muted">{t('sup.pin.setHint')}</p>}
        {auth.lockedUntil !== null && <p className="error">{t('sup.error.lockedOut')}</p>}
        <label>
          {t('sup.pin.label')}
          <input
            data-testid="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            maxLength={12}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        {firstRun && (
          <label>
            {t('sup.pin.repeat')}
            <input
              data-testid="pin-repeat"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </label>
        )}
        {problem && <p className="error">{t(`sup.pin.${problem}`)}</p>}
        {error && (
          <p className="error" data-testid="pin-error">
            {t(errorKey(error))}
          </p>
        )}
        <div className="sup-actions">
          <button type="button" onClick={onClose}>
            {t('sup.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="pin-submit" disabled={busy || pin === ''}>
            {firstRun ? t('sup.pin.setSubmit') : t('sup.pin.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
