import { useState } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { ageParts, useNow } from '../../shared/age';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';

export function QueuePanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const status = useApp((s) => s.status);
  const now = useNow(10_000);
  // Status pushes (an item settled) refresh the list.
  const { data: view, error, setError, reload: load } = useSupervisorData('supervisor.queue', {}, [status]);
  const [noteFor, setNoteFor] = useState<number | null>(null);
  const [note, setNote] = useState('');

  const act = async (call: Promise<{ ok: boolean; error?: AppError }>) => {
    const result = await call;
    setError(result.ok ? null : (result.error ?? null));
    setNoteFor(null);
    setNote('');
    await load();
  };
  const age = (at: number) => {
    const { key, count } = ageParts(now - at);
    return t(key, { count });
  };

  return (
    <div className="sup-panel" data-testid="queue">
      {status && (
        <p className="sup-health">
          {t('status.queue', { count: status.queue.queued })}
          {status.queue.oldestQueuedAt !== null && ` · ${t('status.oldest', { age: age(status.queue.oldestQueuedAt) })}`}
          {' · '}
          {status.lastContactAt
            ? t('status.lastContact', { time: formatTime(language, status.lastContactAt) })
            : t('status.never')}
        </p>
      )}
      {view?.paused && <p className="error">{t('sup.queue.paused', { reason: view.paused })}</p>}
      {error && <p className="error">{t(errorKey(error))}</p>}
      {view && view.items.length === 0 && <p className="muted">{t('sup.queue.empty')}</p>}
      <table className="sup-table">
        <tbody>
          {view?.items.map((item) => (
            <tr key={item.outboxId} className={`outcome-${item.state === 'needs_attention' ? 'needs_attention' : 'pending'}`}>
              <td>{t(`state.${item.state}`)}</td>
              <td className="code">{item.orderId}</td>
              <td className="code">{item.credentialDisplay}</td>
              <td>{age(item.createdAt)}</td>
              <td>{item.lastReason ?? '—'}</td>
              <td className="code">{item.lastLogid ?? ''}</td>
              <td className="sup-row-actions">
                {item.state !== 'sending' && (
                  <button
                    type="button"
                    onClick={() => void act(supervisorCall('supervisor.queue.retry', { outboxId: item.outboxId }))}
                  >
                    {t('sup.queue.retry')}
                  </button>
                )}
                {item.state === 'needs_attention' && noteFor !== item.outboxId && (
                  <button type="button" onClick={() => setNoteFor(item.outboxId)}>
                    {t('sup.queue.handled')}
                  </button>
                )}
                {noteFor === item.outboxId && (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void act(supervisorCall('supervisor.queue.handled', { outboxId: item.outboxId, note }));
                    }}
                  >
                    <input
                      autoFocus
                      value={note}
                      maxLength={500}
                      placeholder={t('sup.queue.note')}
                      onChange={(e) => setNote(e.target.value)}
                    />
                    <button type="submit" className="primary" disabled={note.trim() === ''}>
                      {t('sup.save')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
