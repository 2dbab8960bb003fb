import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { StaffNo } from '../../shared/domain/operators';
import type { AppError } from '../../shared/ipc/result';
import { useT } from '../i18n/useT';
import { takeBadges } from './badge';
import { errorKey } from './errors';

/** Test ids of the form's parts, so each screen keeps its own (e2e tests drive them by these). */
interface StaffPinFormIds {
  form: string;
  /** Absent when the 工号 is given (`staffNo`) rather than asked. */
  staffNo?: string;
  pin: string;
  submit: string;
  error: string;
}

export interface StaffPinFormProps {
  /** The 工号 when it is known already (the operator on a break): shown, not asked. */
  staffNo?: string;
  /**
   * Checks the 工号 and PIN (the core decides: role, lockout per operator). Resolves to the
   * refusal to show, or null when accepted.
   */
  onSubmit: (staffNo: string, pin: string) => Promise<AppError | null>;
  /** Esc and the cancel button; without it the form cannot be left (a sign-in, a break lock). */
  onCancel?: () => void;
  submitLabel: string;
  ids: StaffPinFormIds;
  className?: string;
  /** Above the fields: the title and what the form is for. */
  children?: ReactNode;
  /** False when `children` hold a field of their own that is typed first (an undo's reason). */
  focusStaffNo?: boolean;
}

/**
 * 工号 + PIN, keyboard only: 工号, Enter, PIN, Enter. A badge read by the keyboard wedge lands in
 * the 工号 field and moves on to the PIN (while the form is on screen a wedge burst is a badge,
 * not a ticket). A refused PIN is cleared and typed again; a wrong 工号 gets the same answer, by
 * design, and stays in its field. Used by the shift sign-in, the break lock and the supervisor's
 * sign-in; any screen that needs a person's say-so (a supervisor authorising from the staff
 * screen) uses it with its own `onSubmit`.
 */
export function StaffPinForm({
  staffNo: known,
  onSubmit,
  onCancel,
  submitLabel,
  ids,
  className,
  children,
  focusStaffNo = true,
}: StaffPinFormProps) {
  const t = useT();
  const [staffNo, setStaffNo] = useState(known ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const staffRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      takeBadges((code) => {
        // A known 工号 is not replaced by a badge: its owner's badge just asks for the PIN.
        if (known === undefined) setStaffNo(code);
        setError(null);
        pinRef.current?.focus();
      }),
    [known],
  );

  const toPin = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (StaffNo.safeParse(staffNo).success) pinRef.current?.focus();
  };
  const escape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && onCancel) onCancel();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!StaffNo.safeParse(staffNo).success) return staffRef.current?.focus();
    if (pin === '' || busy) return;
    // The last refusal goes while this try is checked: a message left standing would answer it.
    setError(null);
    setBusy(true);
    const refused = await onSubmit(staffNo.trim(), pin);
    setBusy(false);
    setPin('');
    setError(refused);
    if (refused) pinRef.current?.focus();
  };

  return (
    <form className={className} data-testid={ids.form} onSubmit={(e) => void submit(e)} onKeyDown={escape}>
      {children}
      {known === undefined && (
        <label>
          {t('shift.staffNo')}
          <input
            ref={staffRef}
            data-testid={ids.staffNo}
            autoFocus={focusStaffNo}
            autoComplete="off"
            spellCheck={false}
            maxLength={32}
            value={staffNo}
            onChange={(e) => setStaffNo(e.target.value)}
            onKeyDown={toPin}
          />
        </label>
      )}
      <label>
        {t('shift.pin')}
        <input
          ref={pinRef}
          data-testid={ids.pin}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus={known !== undefined}
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid={ids.error} data-detail={error.detail ?? error.code}>
          {t(errorKey(error))}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('sup.cancel')}
          </button>
        )}
        <button type="submit" className="primary" data-testid={ids.submit} disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
