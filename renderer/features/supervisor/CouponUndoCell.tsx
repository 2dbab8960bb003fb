import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { UndoReason, type HistoryRow } from '../../../shared/domain/history';
import type { AppError } from '../../../shared/ipc/result';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';

/** The clock the countdown shows, ticking once a second while the undo is still possible. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * 撤销核销 on one coupon row: while Douyin still allows it, the button with the time left (one hour
 * from the verify); then a reason, required, and the answer. Otherwise what became of the undo.
 */
export function CouponUndoCell({ row, onChanged }: { row: HistoryRow; onChanged: () => void }) {
  const t = useT();
  const undo = row.coupon?.undo;
  const undoable = undo?.state === 'undoable' && undo.deadline !== null;
  const now = useNow(undoable);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!undo) return <td>—</td>;
  const stop = (event: MouseEvent) => event.stopPropagation();
  const left = undo.deadline === null ? 0 : undo.deadline - now;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!UndoReason.safeParse(reason).success) {
      return setError({ code: 'bad_input', message: '', detail: 'sup.undo.reasonHint' });
    }
    setBusy(true);
    const result = await supervisorCall('supervisor.coupon.undo', { scanId: row.id, reason: reason.trim() });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setAsking(false);
    if (result.value.state === 'pending') setNotice(t('sup.undo.queued'));
    onChanged();
  };

  if (undoable && left > 0) {
    const seconds = Math.floor(left / 1000);
    return (
      <td onClick={stop} data-testid="undo-cell">
        {asking ? (
          <form className="sup-row-actions" onSubmit={(e) => void submit(e)}>
            <input
              autoFocus
              value={reason}
              maxLength={200}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('sup.undo.reasonHint')}
              aria-label={t('sup.undo.reason')}
              data-testid="undo-reason"
            />
            <button type="submit" className="danger" disabled={busy} data-testid="undo-confirm">
              {t('sup.undo.confirm')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('sup.undo.cancel')}
            </button>
          </form>
        ) : (
          <button type="button" onClick={() => setAsking(true)} data-testid="undo-button">
            {t('sup.undo.button')}
          </button>
        )}{' '}
        <span className="muted" data-testid="undo-left">
          {t('sup.undo.left', { minutes: String(Math.floor(seconds / 60)), seconds: String(seconds % 60).padStart(2, '0') })}
        </span>
        {error && <p className="error">{t(errorKey(error))}</p>}
      </td>
    );
  }
  const state = undoable ? 'expired' : undo.state;
  return (
    <td data-testid="undo-cell" data-undo={state}>
      {state === 'undone'
        ? t('sup.undo.state.undone', { operator: undo.operatorNo ?? '—', reason: undo.reason ?? '' })
        : state === 'undoable' || state === 'unavailable'
          ? '—'
          : t(`sup.undo.state.${state}`)}
      {state !== 'undone' &&
        row.coupon &&
        row.coupon.undone > 0 &&
        ` · ${t('sup.undo.partial', { undone: String(row.coupon.undone) })}`}
      {(state === 'refused' || state === 'needs_attention') && undo.lastReason && (
        <span className="muted"> · {undo.lastReason}</span>
      )}
      {notice && <p className="muted">{notice}</p>}
    </td>
  );
}
