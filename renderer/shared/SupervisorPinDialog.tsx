import { useState, type FormEvent, type ReactNode } from 'react';
import { NewPin, type AuthState, type SessionGrant } from '../../shared/domain/supervisor';
import type { AppError } from '../../shared/ipc/result';
import { api } from '../api';
import type { MessageKey } from '../i18n';
import { useT } from '../i18n/useT';
import { errorKey } from './errors';
import { StaffPinForm } from './StaffPinForm';

interface SupervisorPinDialogProps {
  auth: AuthState;
  onGranted: (grant: SessionGrant) => void | Promise<void>;
  onClose: () => void;
  title?: MessageKey;
  /** The asking screen's own fields' rule, checked before the PIN is sent. */
  check?: () => AppError | null;
  /** The asking screen's own fields (a reason), above the 工号. */
  children?: ReactNode;
}

const SIGN_IN_IDS = { form: 'sup-sign-in', staffNo: 'pin-staff-no', pin: 'pin-input', submit: 'pin-submit', error: 'pin-error' };

/**
 * A supervisor's say-so, the one dialog for it: 工号 + PIN on the form every sign-in at the window
 * uses (the core checks the role and counts wrong PINs per operator), or at first run the PIN that
 * becomes supervisor 0001's. Supervisor mode opens with it, and so does a supervisor action asked
 * for at the staff screen (an undo from the recent list).
 */
export function SupervisorPinDialog({ auth, onGranted, onClose, title, check, children }: SupervisorPinDialogProps) {
  const t = useT();
  if (!auth.pinSet) return <FirstPinDialog onGranted={onGranted} onClose={onClose} />;
  const signIn = async (staffNo: string, pin: string) => {
    const refused = check?.() ?? null;
    if (refused) return refused;
    const result = await api.invoke('supervisor.unlock', { staffNo, pin });
    if (!result.ok) return result.error;
    await onGranted(result.value);
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
        focusStaffNo={children === undefined}
      >
        <h2 id="sup-pin-title">{t(title ?? 'sup.pin.title')}</h2>
        {children ?? <p className="muted">{t('sup.pin.hint')}</p>}
      </StaffPinForm>
    </div>
  );
}

/** First run: no supervisor yet. The PIN typed twice becomes supervisor 0001's. */
function FirstPinDialog({ onGranted, onClose }: Pick<SupervisorPinDialogProps, 'onGranted' | 'onClose'>) {
  const t = useT();
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
    setPin('');
    setRepeat('');
    if (result.ok) await onGranted(result.value);
    else setError(result.error);
    setBusy(false);
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
