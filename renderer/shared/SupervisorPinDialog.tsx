import { useState, type FormEvent, type ReactNode } from 'react';
import { StaffNo } from '../../shared/domain/operators';
import { NewPin, type AuthState, type SessionGrant } from '../../shared/domain/supervisor';
import type { AppError } from '../../shared/ipc/result';
import { api } from '../api';
import type { MessageKey } from '../i18n';
import { useT } from '../i18n/useT';
import { errorKey } from './errors';

/**
 * The supervisor's authorisation, the one form for it: 工号 (empty: the first supervisor) and PIN,
 * or at first run the PIN to set. Supervisor mode opens with it, and so does a supervisor action
 * asked for at the staff screen (its own fields above, checked by `check` before the PIN is sent).
 */
export function SupervisorPinDialog({
  auth,
  onGranted,
  onClose,
  title,
  check,
  children,
}: {
  auth: AuthState;
  onGranted: (grant: SessionGrant) => void | Promise<void>;
  onClose: () => void;
  title?: MessageKey;
  check?: () => AppError | null;
  children?: ReactNode;
}) {
  const t = useT();
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<'pinShape' | 'pinMismatch' | 'staffNo' | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRun = !auth.pinSet;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setProblem(null);
    const refused = check?.() ?? null;
    if (refused) return setError(refused);
    if (firstRun) {
      if (!NewPin.safeParse(pin).success) return setProblem('pinShape');
      if (pin !== repeat) return setProblem('pinMismatch');
    }
    const who = staffNo.trim();
    if (who !== '' && !StaffNo.safeParse(who).success) return setProblem('staffNo');
    setBusy(true);
    const result = firstRun
      ? await api.invoke('supervisor.pin.set', { pin })
      : await api.invoke('supervisor.unlock', { pin, ...(who ? { staffNo: who } : {}) });
    setPin('');
    setRepeat('');
    if (result.ok) await onGranted(result.value);
    else setError(result.error);
    setBusy(false);
  };

  return (
    <div className="sup-modal" role="dialog" aria-modal="true" aria-labelledby="sup-pin-title">
      <form className="sup-dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="sup-pin-title">{t(title ?? (firstRun ? 'sup.pin.setTitle' : 'sup.pin.title'))}</h2>
        {firstRun && <p className="muted">{t('sup.pin.setHint')}</p>}
        {auth.lockedUntil !== null && <p className="error">{t('sup.error.lockedOut')}</p>}
        {children}
        {!firstRun && (
          <label>
            {t('sup.pin.staffNo')}
            <input
              data-testid="pin-staff-no"
              autoComplete="off"
              spellCheck={false}
              maxLength={32}
              value={staffNo}
              onChange={(e) => setStaffNo(e.target.value)}
            />
          </label>
        )}
        <label>
          {t('sup.pin.label')}
          <input
            data-testid="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus={children === undefined}
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
        {problem && <p className="error">{t(problem === 'staffNo' ? 'sup.pin.staffNoShape' : `sup.pin.${problem}`)}</p>}
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
