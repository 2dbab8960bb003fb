import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { ageParts, useNow } from '../../shared/age';

export function StatusBar() {
  const t = useT();
  const status = useApp((s) => s.status);
  const language = useApp((s) => s.language);
  const setLanguage = useApp((s) => s.setLanguage);
  const now = useNow(15_000);
  const oldest = status?.queue.oldestQueuedAt ?? null;
  const oldestAge = oldest === null ? null : ageParts(now - oldest);
  return (
    <header className="status-bar">
      <h1>{t('app.title')}</h1>
      {status && (
        <>
          <span className={`badge ${status.mode === 'demo' ? 'badge-demo' : 'badge-live'}`} data-testid="mode">
            {status.mode === 'demo' ? t('app.demo') : t('app.live')}
          </span>
          <span>
            {t('status.window')}: <strong>{status.windowName}</strong>
          </span>
          <span className={status.online ? 'net-ok' : 'net-down'} data-testid="online">
            {status.online ? t('status.online') : t('status.offline')}
          </span>
          <span data-testid="queue-size">{t('status.queue', { count: status.queue.queued })}</span>
          {oldestAge && (
            <span data-testid="queue-oldest">{t('status.oldest', { age: t(oldestAge.key, { count: oldestAge.count }) })}</span>
          )}
          {status.queue.needsAttention > 0 && (
            <span className="net-down">{t('status.needsAttention', { count: status.queue.needsAttention })}</span>
          )}
          <span className="muted">
            {status.lastContactAt
              ? t('status.lastContact', { time: formatTime(language, status.lastContactAt) })
              : t('status.never')}
          </span>
        </>
      )}
      <button className="lang" type="button" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>
        {t('app.language')}
      </button>
    </header>
  );
}
