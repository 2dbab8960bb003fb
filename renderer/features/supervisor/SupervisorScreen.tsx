import { useState } from 'react';
import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { KeyLossNotice } from '../settings/KeyLossNotice';
import { DatabaseNotice } from '../status/DatabaseNotice';
import { SettingsPanel } from '../settings/SettingsPanel';
import { AuditPanel } from './AuditPanel';
import { HistoryPanel } from './HistoryPanel';
import { QueuePanel } from './QueuePanel';
import { supervisorCall, useSupervisor } from './session';
import { ShiftPanel } from './ShiftPanel';
import { useIdleLock } from './useIdleLock';
import { VouchersPanel } from './VouchersPanel';
import './supervisor.css';

const tabs = ['history', 'queue', 'shift', 'vouchers', 'settings', 'audit'] as const;
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
            {t(`sup.tab.${name}` as MessageKey)}
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
        {tab === 'vouchers' && <VouchersPanel />}
        {tab === 'settings' && <SettingsPanel />}
        {tab === 'audit' && <AuditPanel />}
      </section>
    </main>
  );
}
