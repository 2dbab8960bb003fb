import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/supervisor';
import { formatTime, isMessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';

const PAGE = 100;

export function AuditPanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);

  const load = async (before?: number) => {
    const result = await supervisorCall('supervisor.audit', before ? { before, limit: PAGE } : { limit: PAGE });
    if (!result.ok) return;
    setEntries((prev) => (before ? [...prev, ...result.value] : result.value));
    setMore(result.value.length === PAGE);
  };
  useEffect(() => {
    void load();
  }, []);

  // Actions other features add later show as their code until they are given words.
  const actionText = (action: string) => {
    const key = `audit.action.${action}`;
    return isMessageKey(key) ? t(key) : <span className="code">{action}</span>;
  };

  return (
    <div className="sup-panel" data-testid="audit">
      <p className="muted">{t('sup.audit.hint')}</p>
      <table className="sup-table">
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                {new Date(e.at).toLocaleDateString(language, { timeZone: 'Asia/Shanghai' })} {formatTime(language, e.at)}
              </td>
              <td>{e.actor === 'system' ? t('audit.actor.system') : e.actor}</td>
              <td>{actionText(e.action)}</td>
              <td>{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button type="button" onClick={() => void load(entries.at(-1)?.id)}>
          {t('sup.history.more')}
        </button>
      )}
    </div>
  );
}
