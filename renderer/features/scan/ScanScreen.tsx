import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { AnswerPanel } from '../result/AnswerPanel';
import { KeyLossNotice } from '../settings/KeyLossNotice';
import { DatabaseNotice } from '../status/DatabaseNotice';
import { CameraScanner } from './CameraScanner';
import { ManualEntry } from './ManualEntry';
import { RecentScans } from './RecentScans';
import { SoundToggle } from './SoundToggle';

export function ScanScreen() {
  const t = useT();
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.error);
  return (
    <main className="scan-screen">
      <div className="scan-main">
        <AnswerPanel />
        {error && (
          <div className="error" role="alert" data-testid="error">
            {t(`error.${error.code}`)}
          </div>
        )}
        <DatabaseNotice canAcknowledge={false} />
        <KeyLossNotice canAcknowledge={false} />
        <ManualEntry />
        {status?.mode === 'demo' && (
          <aside className="demo-hint" data-testid="demo-hint">
            <p>{t('app.demoHint')}</p>
            <ul>
              {status.demoCodes.map((c) => (
                <li key={c.code}>
                  <code>{c.code}</code> {c.label}
                </li>
              ))}
            </ul>
          </aside>
        )}
      </div>
      <aside className="scan-side">
        <div className="scan-tools">
          <CameraScanner />
          <SoundToggle />
        </div>
        <RecentScans />
        {status && (
          <p className="muted data-dir" data-testid="data-dir">
            {t('status.dataDir')}: {status.dataDir}
          </p>
        )}
      </aside>
    </main>
  );
}
