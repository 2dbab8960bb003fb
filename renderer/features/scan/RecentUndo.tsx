import { useState } from 'react';
import type { ScanRecord } from '../../../shared/domain/scan';
import type { AuthState } from '../../../shared/domain/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import { api } from '../../api';
import { useT } from '../../i18n/useT';
import { askUndo, undoReasonProblem, UndoReasonInput, UndoState, UndoTimeLeft, useUndoClock } from '../../shared/coupon-undo';
import { errorKey } from '../../shared/errors';
import { SupervisorPinDialog } from '../../shared/SupervisorPinDialog';
import { useApp } from '../../stores/app';

/**
 * 撤销核销 from the staff's recent list. Undo is the supervisor's: the dialog asks for the reason and
 * the supervisor's 工号 + PIN, opens a supervisor session just for this one call (audited in that
 * 工号 like an undo from history), and locks it again at once. The staff screen never becomes the
 * supervisor's.
 */
export function RecentUndo({ record }: { record: ScanRecord & { couponUndo: NonNullable<ScanRecord['couponUndo']> } }) {
  const t = useT();
  const refresh = useApp((s) => s.refreshRecent);
  const { undoable, leftMs } = useUndoClock(record.couponUndo);
  const [auth, setAuth] = useState<AuthState | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [queued, setQueued] = useState(false);

  const open = async () => {
    const result = await api.invoke('supervisor.auth', {});
    if (result.ok) setAuth(result.value);
    else setError(result.error);
  };
  const undoAs = async (session: string) => {
    const asked = await askUndo((input) => api.invoke('supervisor.coupon.undo', { ...input, session }), record.id, reason);
    await api.invoke('supervisor.lock', { session });
    setAuth(null);
    setReason('');
    setError(asked.error);
    setQueued(asked.queued);
    await refresh();
  };

  return (
    <span className="recent-undo" data-testid="recent-undo">
      {undoable ? (
        <>
          <button type="button" onClick={() => void open()} data-testid="recent-undo-button">
            {t('sup.undo.button')}
          </button>{' '}
          <UndoTimeLeft leftMs={leftMs} />
        </>
      ) : (
        <UndoState undo={record.couponUndo} undone={0} leftMs={leftMs} />
      )}
      {queued && <span className="muted"> · {t('sup.undo.queued')}</span>}
      {error && <span className="error"> · {t(errorKey(error))}</span>}
      {auth && (
        <SupervisorPinDialog
          auth={auth}
          title="recent.undo.title"
          check={() => undoReasonProblem(reason)}
          onGranted={(grant) => undoAs(grant.token)}
          onClose={() => setAuth(null)}
        >
          <p className="muted">{t('recent.undo.hint', { code: record.credentialDisplay })}</p>
          <label>
            {t('sup.undo.reason')}
            <UndoReasonInput value={reason} onChange={setReason} testId="recent-undo-reason" />
          </label>
        </SupervisorPinDialog>
      )}
    </span>
  );
}
