import { useT } from '../i18n/useT';
import { useApp } from '../stores/app';
import { AnswerPanel } from '../features/result/AnswerPanel';
import { KeyLossNotice } from '../features/status/KeyLossNotice';
import { DatabaseNotice } from '../features/status/DatabaseNotice';
import { CameraScanner } from '../features/scan/CameraScanner';
import { ManualEntry } from '../features/scan/ManualEntry';
import { RecentScans } from '../features/scan/RecentScans';
import { SoundToggle } from '../features/scan/SoundToggle';
import { ReaderStatusLine } from '../features/devices/ReaderStatusLine';

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
        <ReaderStatusLine />
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
