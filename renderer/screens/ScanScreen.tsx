import { useT } from '../i18n/useT';
import { useApp } from '../stores/app';
import { AnswerPanel } from '../features/result/AnswerPanel';
import { KeyLossNotice } from '../features/status/KeyLossNotice';
import { DatabaseNotice } from '../features/status/DatabaseNotice';
import { CameraScanner } from '../features/scan/CameraScanner';
import { DemoCouponQr } from '../features/scan/DemoCouponQr';
import { ManualEntry } from '../features/scan/ManualEntry';
import { RecentScans } from '../features/scan/RecentScans';
import { SoundToggle } from '../features/scan/SoundToggle';
import { BreakLock } from '../features/shift/BreakLock';
import { ShiftBar } from '../features/shift/ShiftBar';
import { EndedShift, HandedOver } from '../features/shift/ShiftNotices';
import { SignInPanel } from '../features/shift/SignInPanel';
import { gateOf, useShift } from '../stores/shift';
import { PrinterStatusLine } from '../features/devices/PrinterStatusLine';
import { ReaderStatusLine } from '../features/devices/ReaderStatusLine';

export function ScanScreen() {
  const t = useT();
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.error);
  const gate = useShift((s) => gateOf(s.state));
  const notices = (
    <>
      <DatabaseNotice canAcknowledge={false} />
      <KeyLossNotice canAcknowledge={false} />
    </>
  );
  // Nobody at work (sign-in required, or a break): nothing that scans is on screen.
  if (gate !== 'open') {
    return (
      <main className="scan-screen shift-screen">
        <div className="scan-main">
          {gate === 'signIn' ? <SignInPanel /> : <BreakLock />}
          {notices}
        </div>
        <aside className="scan-side">{gate === 'signIn' && <EndedShift />}</aside>
      </main>
    );
  }
  return (
    <main className="scan-screen">
      <div className="scan-main">
        <ShiftBar />
        <AnswerPanel />
        {error && (
          <div className="error" role="alert" data-testid="error">
            {t(`error.${error.code}`)}
          </div>
        )}
        {notices}
        <ManualEntry />
        {status?.mode === 'demo' && (
          <aside className="demo-hint" data-testid="demo-hint">
            <p>{t('app.demoHint')}</p>
            <ul>
              {status.demoCodes.map((c) => (
                <li key={c.code}>
                  <code>{c.code}</code> {c.label}
                  {c.couponOrderId && <DemoCouponQr orderId={c.couponOrderId} />}
                </li>
              ))}
            </ul>
          </aside>
        )}
      </div>
      <aside className="scan-side">
        {/* Beside the answer, never above it: the visitor's answer keeps its whole panel. */}
        <HandedOver />
        <EndedShift />
        <div className="scan-tools">
          <CameraScanner />
          <SoundToggle />
        </div>
        <ReaderStatusLine />
        <PrinterStatusLine />
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
