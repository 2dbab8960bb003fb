import { useState, type FormEvent, type MouseEvent } from 'react';
import type { HistoryRow } from '../../../shared/domain/history';
import type { AppError } from '../../../shared/ipc/result';
import { useT } from '../../i18n/useT';
import { askUndo, undoReasonProblem, UndoReasonInput, UndoState, UndoTimeLeft, useUndoClock } from '../../shared/coupon-undo';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';

/**
 * 撤销核销 on one coupon row: while Douyin still allows it, the button with the time left (one hour
 * from the verify); then a reason, required, and the answer. Otherwise what became of the undo.
 */
export function CouponUndoCell({ row, onChanged }: { row: HistoryRow; onChanged: () => void }) {
  const t = useT();
  const undo = row.coupon?.undo;
  const { undoable, leftMs } = useUndoClock(undo);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!undo) return <td>—</td>;
  const stop = (event: MouseEvent) => event.stopPropagation();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = undoReasonProblem(reason);
    if (problem) return setError(problem);
    setBusy(true);
    const asked = await askUndo((input) => supervisorCall('supervisor.coupon.undo', input), row.id, reason);
    setBusy(false);
    setError(asked.error);
    if (asked.error) return;
    setAsking(false);
    if (asked.queued) setNotice(t('sup.undo.queued'));
    onChanged();
  };

  if (undoable) {
    return (
      <td onClick={stop} data-testid="undo-cell">
        {asking ? (
          <form className="sup-row-actions" onSubmit={(e) => void submit(e)}>
            <UndoReasonInput value={reason} onChange={setReason} testId="undo-reason" />
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
        <UndoTimeLeft leftMs={leftMs} />
        {error && <p className="error">{t(errorKey(error))}</p>}
      </td>
    );
  }
  return (
    <td data-testid="undo-cell" data-undo={undo.state === 'undoable' ? 'expired' : undo.state}>
      <UndoState undo={undo} undone={row.coupon?.undone ?? 0} leftMs={leftMs} />
      {notice && <p className="muted">{notice}</p>}
    </td>
  );
}
