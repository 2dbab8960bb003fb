import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

type CoreState = 'recovering' | 'ready' | 'failed';

/**
 * While main restarts a crashed core the screen says so (calls answer `recovering` meanwhile);
 * once it is back the window reads its whole state again, as after a reload.
 */
export function CoreRecovery() {
  const t = useT();
  const [state, setState] = useState<CoreState>('ready');
  useEffect(
    () =>
      api.on('core.state', ({ state: next }) => {
        setState(next);
        if (next === 'ready') void useApp.getState().load();
      }),
    [],
  );
  if (state === 'ready') return null;
  return (
    <div className={`core-recovery core-recovery-${state}`} role="alert" data-testid="core-recovery">
      {state === 'recovering' ? t('core.recovering') : t('core.failed')}
    </div>
  );
}
