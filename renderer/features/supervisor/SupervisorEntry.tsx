import { useEffect, useState, type FormEvent } from 'react';
import { NewPin, type AuthState } from '../../../shared/domain/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import { api } from '../../api';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { StaffPinForm } from '../../shared/StaffPinForm';
import { useSupervisor } from '../../stores/supervisor';
import './supervisor.css';

/**
 * The way into supervisor mode from the scan screen: asks for a supervisor's 工号 and PIN (the core
 * checks the role and counts wrong PINs per operator), or at first run sets the first supervisor's
 * PIN. Staff without a supervisor's PIN see nothing more than the button.
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
      {auth && (auth.pinSet ? <SignInDialog onClose={() => setAuth(null)} /> : <FirstPinDialog onClose={() => setAuth(null)} />)}
    </>
  );
}

const SIGN_IN_IDS = { form: 'sup-sign-in', staffNo: 'pin-staff-no', pin: 'pin-input', submit: 'pin-submit', error: 'pin-error' };

/** A supervisor's sign-in: 工号 + PIN, the form every sign-in at the window uses. */
function SignInDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const enter = useSupervisor((s) => s.enter);
  const signIn = async (staffNo: string, pin: string) => {
    const result = await api.invoke('supervisor.unlock', { staffNo, pin });
    if (!result.ok) return result.error;
    onClose();
    enter(result.value);
    return null;
  };
  return (
    <div className="sup-modal" role="dialog" aria-modal="true" aria-labelledby="sup-pin-title">
      <StaffPinForm
        className="sup-dialog"
        ids={SIGN_IN_IDS}
        onSubmit={signIn}
        onCancel={onClose}
        submitLabel={t('sup.pin.submit')}
      >
        <h2 id="sup-pin-title">{t('sup.pin.title')}</h2>
        <p className="muted">{t('sup.pin.hint')}</p>
      </StaffPinForm>
    </div>
  );
}

/** First run: no supervisor yet. The PIN typed twice becomes supervisor 0001's, and opens the mode. */
function FirstPinDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const enter = useSupervisor((s) => s.enter);
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<'pinShape' | 'pinMismatch' | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setProblem(null);
    if (!NewPin.safeParse(pin).success) return setProblem('pinShape');
    if (pin !== repeat) return setProblem('pinMismatch');
    setBusy(true);
    const result = await api.invoke('supervisor.pin.set', { pin });
    setBusy(false);
    setPin('');
    setRepeat('');
    if (!result.ok) return setError(result.error);
    onClose();
    enter(result.value);
  };

  return (
    <div className="sup-modal" role="dialog" aria-modal="true" aria-labelledby="sup-pin-title">
      <form className="sup-dialog" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2 id="sup-pin-title">{t('sup.pin.setTitle')}</h2>
        <p className="muted">{t('sup.pin.setHint')}</p>
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
            {t('sup.pin.setSubmit')}
          </button>
        </div>
      </form>
    </div>
  );
}
