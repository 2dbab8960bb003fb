import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

export function RecentScans() {
  const t = useT();
  const recent = useApp((s) => s.recent);
  const language = useApp((s) => s.language);
  return (
    <section className="recent">
      <h2>{t('recent.title')}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t('recent.empty')}</p>
      ) : (
        <ol data-testid="recent">
          {recent.map((r) => (
            <li key={r.id} className={`recent-${r.verdict}`} data-state={r.state ?? ''}>
              <span className="time">{formatTime(language, r.at)}</span>
              <span className="code">{r.credentialDisplay}</span>
              <span className="what">{r.projectName ?? ''}</span>
              <span className="state">{r.state ? t(`state.${r.state}`) : t(`verdict.${r.verdict}`)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
