import type { ScanRecord } from '../../../shared/domain/scan';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { RecentUndo } from './RecentUndo';

export function RecentScans() {
  const t = useT();
  const recent = useApp((s) => s.recent);
  const language = useApp((s) => s.language);
  // Only an offline scan has a sync to follow; for the rest the answer given is what matters (a
  // refused repeat of a used ticket has a 'verified' request behind it, which would mislead).
  const label = (r: ScanRecord) => (r.verdict === 'offline' && r.state ? t(`state.${r.state}`) : t(`verdict.${r.verdict}`));
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
              <span className="state">{label(r)}</span>
              {r.couponUndo && <RecentUndo record={{ ...r, couponUndo: r.couponUndo }} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
