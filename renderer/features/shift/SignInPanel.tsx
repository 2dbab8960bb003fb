import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { StaffNo } from '../../../shared/domain/operators';
import type { AppError } from '../../../shared/ipc/result';
import { useT } from '../../i18n/useT';
import { takeBadges } from '../../shared/badge';
import { errorKey } from '../../shared/errors';
import { useShift } from '../../stores/shift';
import './shift.css';

/**
 * The start of a shift: 工号, Enter, PIN, Enter, with no mouse. A badge read by the keyboard wedge
 * lands in the 工号 field and moves on to the PIN, as a typed 工号 and Enter would.
 */
export function SignInPanel() {
  const t = useT();
  const signIn = useShift((s) => s.signIn);
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const staffRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      takeBadges((code) => {
        setStaffNo(code);
        setError(null);
        pinRef.current?.focus();
      }),
    [],
  );

  const toPin = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (StaffNo.safeParse(staffNo).success) pinRef.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!StaffNo.safeParse(staffNo).success) return staffRef.current?.focus();
    if (pin === '' || busy) return;
    setBusy(true);
    const refused = await signIn(staffNo.trim(), pin);
    setBusy(false);
    setPin('');
    setError(refused);
    // A wrong PIN is typed again; a wrong 工号 (same answer, by design) is in the field above.
    if (refused) pinRef.current?.focus();
  };

  return (
    <form className="shift-card" data-testid="sign-in" onSubmit={(e) => void submit(e)}>
      <h2>{t('shift.signIn.title')}</h2>
      <p className="muted">{t('shift.signIn.hint')}</p>
      <label>
        {t('shift.staffNo')}
        <input
          ref={staffRef}
          data-testid="sign-in-staff-no"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          value={staffNo}
          onChange={(e) => setStaffNo(e.target.value)}
          onKeyDown={toPin}
        />
      </label>
      <label>
        {t('shift.pin')}
        <input
          ref={pinRef}
          data-testid="sign-in-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="sign-in-error" data-detail={error.detail ?? error.code}>
          {t(errorKey(error))}
        </p>
      )}
      <button type="submit" className="primary" data-testid="sign-in-submit" disabled={busy}>
        {t('shift.signIn.submit')}
      </button>
    </form>
  );
}
