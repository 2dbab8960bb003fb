import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';

/**
 * The database was damaged and repaired, or the background integrity check has just found
 * damage. Staff see it on the scan screen; it leaves both screens only when a supervisor
 * acknowledges the repair (audited), because the kept file may have to go to support.
 */
export function DatabaseNotice({ canAcknowledge }: { canAcknowledge: boolean }) {
  const t = useT();
  const language = useApp((s) => s.language);
  const recovery = useApp((s) => s.status?.databaseRecovery);
  const damaged = useApp((s) => s.status?.databaseDamaged);
  if (!recovery && !damaged) return null;
  return (
    <div className="error" role="alert" data-testid="database-notice">
      {damaged && <p>{t('database.damaged')}</p>}
      {recovery && (
        <>
          <p>{t(`database.repaired.${recovery.outcome}`, { at: formatTime(language, recovery.at) })}</p>
          {recovery.lostTables.length > 0 && <p>{t('database.lostTables', { tables: recovery.lostTables.join(', ') })}</p>}
          {recovery.movedTo && <p>{t('database.keptAt', { path: recovery.movedTo })}</p>}
          {canAcknowledge && (
            <button
              type="button"
              onClick={() => void supervisorCall('supervisor.database.acknowledge', { recoveryId: recovery.id })}
              data-testid="database-notice-ack"
            >
              {t('database.acknowledge')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
