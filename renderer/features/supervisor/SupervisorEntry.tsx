import { useEffect, useState } from 'react';
import type { AuthState } from '../../../shared/domain/supervisor';
import { api } from '../../api';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { SupervisorPinDialog } from '../../shared/SupervisorPinDialog';
import { useSupervisor } from '../../stores/supervisor';
import './supervisor.css';

/**
 * The way into supervisor mode from the scan screen: a supervisor's 工号 and PIN, or at first run
 * the first supervisor's PIN. Staff without a supervisor's PIN see nothing more than the button.
 */
export function SupervisorEntry() {
  const t = useT();
  const [auth, setAuth] = useState<AuthState | null>(null);
  const endedBecause = useSupervisor((s) => s.endedBecause);
  const enter = useSupervisor((s) => s.enter);
  // Why supervisor mode ended shows for a while on the scan screen, then gets out of the way.
  useEffect(() => {
    if (!endedBecause) return;
    const timer = setTimeout(() => useSupervisor.setState({ endedBecause: null }), 8000);
    return () => clearTimeout(timer);
  }, [endedBecause]);

  const open = async () => {
    const result = await api.invoke('supervisor.auth', {});
    if (result.ok) setAuth(result.value);
  };

  return (
    <>
      <button type="button" className="sup-entry" data-testid="supervisor-entry" onClick={() => void open()}>
        {t('sup.entry')}
      </button>
      {endedBecause && !auth && <div className="sup-toast">{t(errorKey(endedBecause))}</div>}
      {auth && (
        <SupervisorPinDialog
          auth={auth}
          onClose={() => setAuth(null)}
          onGranted={(grant) => {
            setAuth(null);
            enter(grant);
          }}
        />
      )}
    </>
  );
}
