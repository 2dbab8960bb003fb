import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';

/**
 * The secret store was lost or unreadable at start while the database still needed its keys.
 * Staff see it; a supervisor acknowledges it (audited), and only then does it leave both screens.
 */
export function KeyLossNotice({ canAcknowledge }: { canAcknowledge: boolean }) {
  const t = useT();
  const lost = useApp((s) => s.status?.secretsLost);
  if (!lost) return null;
  return (
    <div className="error" role="alert" data-testid="secrets-lost">
      <p>{t('secretsLost.notice')}</p>
      {lost.idLookupsLost && <p>{t('secretsLost.reimport')}</p>}
      {lost.setAside > 0 && <p>{t('secretsLost.setAside', { count: lost.setAside })}</p>}
      {canAcknowledge && (
        <button
          type="button"
          onClick={() => void supervisorCall('supervisor.secretsLost.acknowledge', {})}
          data-testid="secrets-lost-ack"
        >
          {t('secretsLost.acknowledge')}
        </button>
      )}
    </div>
  );
}
