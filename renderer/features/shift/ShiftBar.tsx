import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { useApp } from '../../stores/app';
import { useShift } from '../../stores/shift';
import './shift.css';

/** The key that locks the screen for a break: no scanner sends it, and no field uses it. */
const BREAK_KEY = 'F9';

/** Who is on duty, and their three acts: a break (F9 or the button), handover, sign-out. */
export function ShiftBar() {
  const t = useT();
  const language = useApp((s) => s.language);
  const state = useShift((s) => s.state);
  const { lockForBreak, end } = useShift.getState();
  const [confirming, setConfirming] = useState<'handover' | 'signOut' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const operator = state?.operator ?? null;

  useEffect(() => {
    if (!operator) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== BREAK_KEY || event.repeat) return;
      event.preventDefault();
      void lockForBreak().then(setError);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [operator, lockForBreak]);

  if (!operator || !state) return null;
  const finish = async (kind: 'handover' | 'signOut') => {
    setConfirming(null);
    setError(await end(kind));
  };

  return (
    <div className="shift-bar" data-testid="shift-bar">
      <span data-testid="on-duty">
        {t('shift.onDuty', {
          name: operator.name,
          staffNo: operator.staffNo,
          time: state.openedAt === null ? '' : formatTime(language, state.openedAt),
        })}
      </span>
      {confirming ? (
        <span className="shift-confirm" role="group">
          <span>{t(confirming === 'handover' ? 'shift.confirm.handover' : 'shift.confirm.signOut')}</span>
          <button
            type="button"
            className="danger"
            autoFocus
            data-testid="shift-end-confirm"
            onClick={() => void finish(confirming)}
          >
            {t(confirming === 'handover' ? 'shift.handover' : 'shift.signOut')}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t('sup.cancel')}
          </button>
        </span>
      ) : (
        <span className="shift-actions">
          <button type="button" data-testid="shift-break" onClick={() => void lockForBreak().then(setError)}>
            {t('shift.break')} <kbd>{BREAK_KEY}</kbd>
          </button>
          <button type="button" data-testid="shift-handover" onClick={() => setConfirming('handover')}>
            {t('shift.handover')}
          </button>
          <button type="button" data-testid="shift-sign-out" onClick={() => setConfirming('signOut')}>
            {t('shift.signOut')}
          </button>
        </span>
      )}
      {error && (
        <span className="error" role="alert">
          {t(errorKey(error))}
        </span>
      )}
    </div>
  );
}
