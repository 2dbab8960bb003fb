import type { PrinterSetting } from '../../../shared/domain/printer';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { useDeviceSetting } from './useDeviceSetting';
import { usePrinterStatus } from './usePrinterStatus';

type TargetKind = 'none' | 'network' | 'windows';

/**
 * The receipt printer in supervisor mode: when to print, which printer, its live status (ready,
 * offline, out of paper, last error, slips waiting), a test print and clearing the waiting
 * slips. Exported for the devices page to place.
 */
export function PrinterPanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const stored = useSupervisorData('devices.printer.get', {});
  const status = usePrinterStatus();
  const { form, setForm, save, done, outcome } = useDeviceSetting(stored, (printer) =>
    supervisorCall('devices.printer.save', { printer }),
  );
  if (!form) return <div className="sup-panel" data-testid="printer-panel" />;
  const kind: TargetKind = form.target?.kind ?? 'none';
  const setKind = (next: TargetKind) =>
    setForm({
      ...form,
      target:
        next === 'network'
          ? { kind: 'network', host: '', port: 9100, confirmByStatus: true }
          : next === 'windows'
            ? { kind: 'windows', printerName: '', via: 'html' }
            : undefined,
    });
  const network = form.target?.kind === 'network' ? form.target : null;
  const windows = form.target?.kind === 'windows' ? form.target : null;

  return (
    <div className="sup-panel" data-testid="printer-panel">
      <h3>{t('printer.title')}</h3>
      {status && (
        <p className="sup-health" data-testid="printer-status">
          {t(`printer.state.${status.state}`)}
          {' · '}
          {t('printer.waiting', { count: status.waiting })}
          {status.nextAttemptAt !== null && ` · ${t('printer.nextTry', { time: formatTime(language, status.nextAttemptAt) })}`}
          {status.lastPrintedAt !== null &&
            ` · ${t('printer.lastPrinted', { time: formatTime(language, status.lastPrintedAt) })}`}
          {status.paperNearEnd && ` · ${t('printer.paperNearEnd')}`}
          {status.lastError && (
            <>
              <br />
              {t('printer.lastError', {
                problem: t(`printer.problem.${status.lastError.problem}`),
                time: formatTime(language, status.lastError.at),
              })}
              {status.lastError.detail && (
                <>
                  <br />
                  <span data-testid="printer-error-detail">
                    {t('printer.detail')}: {status.lastError.detail}
                  </span>
                </>
              )}
            </>
          )}
        </p>
      )}
      <label>
        {t('printer.mode')}
        <select
          data-testid="printer-mode"
          value={form.mode}
          onChange={(e) => setForm({ ...form, mode: e.target.value as PrinterSetting['mode'] })}
        >
          {(['off', 'after_verify', 'on_demand'] as const).map((m) => (
            <option key={m} value={m}>
              {t(`printer.mode.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('printer.target')}
        <select value={kind} onChange={(e) => setKind(e.target.value as TargetKind)} data-testid="printer-kind">
          <option value="none">—</option>
          <option value="network">{t('printer.target.network')}</option>
          <option value="windows">{t('printer.target.windows')}</option>
        </select>
      </label>
      {network && (
        <>
          <label>
            {t('printer.host')}
            <input value={network.host} onChange={(e) => setForm({ ...form, target: { ...network, host: e.target.value } })} />
          </label>
          <label>
            {t('printer.port')}
            <input
              type="number"
              min={1}
              max={65535}
              value={network.port}
              onChange={(e) => setForm({ ...form, target: { ...network, port: Number(e.target.value) } })}
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={network.confirmByStatus}
              onChange={(e) => setForm({ ...form, target: { ...network, confirmByStatus: e.target.checked } })}
            />
            {t('printer.confirm')}
          </label>
        </>
      )}
      {windows && (
        <>
          <label>
            {t('printer.windowsName')}
            <input
              value={windows.printerName}
              onChange={(e) => setForm({ ...form, target: { ...windows, printerName: e.target.value } })}
            />
          </label>
          <label>
            {t('printer.via')}
            <select
              value={windows.via}
              onChange={(e) => setForm({ ...form, target: { ...windows, via: e.target.value as 'html' | 'raw' } })}
            >
              <option value="html">{t('printer.via.html')}</option>
              <option value="raw">{t('printer.via.raw')}</option>
            </select>
          </label>
        </>
      )}
      <label>
        {t('printer.spotName')}
        <input value={form.spotName} maxLength={40} onChange={(e) => setForm({ ...form, spotName: e.target.value })} />
      </label>
      <div className="sup-actions">
        <button type="button" onClick={() => void save(form)}>
          {t('printer.save')}
        </button>
        <button
          type="button"
          onClick={async () => done(await supervisorCall('devices.printer.test', {}), t('printer.testQueued'))}
        >
          {t('printer.test')}
        </button>
        <button
          type="button"
          onClick={async () => {
            const result = await supervisorCall('devices.printer.discard', {});
            if (result.ok) done(result, t('printer.discarded', { count: result.value.discarded }));
            else done(result, '');
          }}
        >
          {t('printer.discard')}
        </button>
      </div>
      {outcome}
    </div>
  );
}
