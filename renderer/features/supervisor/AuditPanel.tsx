import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/supervisor';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from './session';

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
              <td>{e.actor}</td>
              <td className="code">{e.action}</td>
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
