import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { useT } from '../../i18n/useT';
import { takeBadges } from '../../shared/badge';
import { errorKey } from '../../shared/errors';
import { useShift } from '../../stores/shift';
import './shift.css';

/**
 * The screen while its operator is on a break: their shift stays open, nothing can be scanned
 * (the core refuses it too), and only their PIN unlocks it.
 */
export function BreakLock() {
  const t = useT();
  const operator = useShift((s) => s.state?.operator);
  const signIn = useShift((s) => s.signIn);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  // A ticket shown to a locked window is not scanned; the operator's own badge just asks for the PIN.
  useEffect(() => takeBadges(() => pinRef.current?.focus()), []);
  if (!operator) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pin === '' || busy) return;
    setBusy(true);
    const refused = await signIn(operator.staffNo, pin);
    setBusy(false);
    setPin('');
    setError(refused);
    if (refused) pinRef.current?.focus();
  };

  return (
    <form className="shift-card shift-locked" data-testid="break-lock" onSubmit={(e) => void submit(e)}>
      <h2>{t('shift.locked.title')}</h2>
      <p>{t('shift.locked.who', { name: operator.name, staffNo: operator.staffNo })}</p>
      <label>
        {t('shift.pin')}
        <input
          ref={pinRef}
          data-testid="break-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="break-error" data-detail={error.detail ?? error.code}>
          {t(errorKey(error))}
        </p>
      )}
      <button type="submit" className="primary" data-testid="break-unlock" disabled={busy}>
        {t('shift.unlock')}
      </button>
    </form>
  );
}
