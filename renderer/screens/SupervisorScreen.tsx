import { useState } from 'react';
import { useT } from '../i18n/useT';
import { KeyLossNotice } from '../features/status/KeyLossNotice';
import { DatabaseNotice } from '../features/status/DatabaseNotice';
import { SettingsPanel } from '../features/settings/SettingsPanel';
import { DevicesPanel } from '../features/devices/DevicesPanel';
import { AuditPanel } from '../features/supervisor/AuditPanel';
import { DayPanel } from '../features/supervisor/DayPanel';
import { OperatorsPanel } from '../features/supervisor/OperatorsPanel';
import { HistoryPanel } from '../features/supervisor/HistoryPanel';
import { QueuePanel } from '../features/supervisor/QueuePanel';
import { ReconcilePanel } from '../features/supervisor/ReconcilePanel';
import { supervisorCall, useSupervisor } from '../stores/supervisor';
import { ShiftPanel } from '../features/supervisor/ShiftPanel';
import { useIdleLock } from '../features/supervisor/useIdleLock';
import { VouchersPanel } from '../features/supervisor/VouchersPanel';
import '../features/supervisor/supervisor.css';

const tabs = ['history', 'queue', 'shift', 'day', 'operators', 'reconcile', 'vouchers', 'devices', 'settings', 'audit'] as const;
type Tab = (typeof tabs)[number];

export function SupervisorScreen() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('history');
  useIdleLock();

  const lock = async () => {
    await supervisorCall('supervisor.lock', {});
    useSupervisor.getState().leave();
  };

  return (
    <main className="sup-screen" data-testid="supervisor-screen">
      <nav className="sup-tabs no-print">
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            className={tab === name ? 'active' : ''}
            aria-pressed={tab === name}
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`sup.tab.${name}`)}
          </button>
        ))}
        <button type="button" className="sup-lock" data-testid="supervisor-lock" onClick={() => void lock()}>
          {t('sup.lock')}
        </button>
      </nav>
      <section className="sup-body">
        <DatabaseNotice canAcknowledge />
        <KeyLossNotice canAcknowledge />
        {tab === 'history' && <HistoryPanel />}
        {tab === 'queue' && <QueuePanel />}
        {tab === 'shift' && <ShiftPanel />}
        {tab === 'day' && <DayPanel />}
        {tab === 'operators' && <OperatorsPanel />}
        {tab === 'reconcile' && <ReconcilePanel />}
        {tab === 'vouchers' && <VouchersPanel />}
        {tab === 'devices' && <DevicesPanel />}
        {tab === 'settings' && <SettingsPanel />}
        {tab === 'audit' && <AuditPanel />}
      </section>
    </main>
  );
}
