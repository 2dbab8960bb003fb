import { IdReaderSetting, type IdReaderKind } from '../../../shared/domain/devices';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { ReaderStatusText } from './ReaderStatusLine';
import { useDeviceSetting } from './useDeviceSetting';

const KINDS: readonly IdReaderKind[] = ['keyboard_wedge', 'local_service', 'vendor_sdk'];

/** A fresh setting of another kind, with the fields a supervisor fills in. */
function blank(kind: IdReaderKind): IdReaderSetting {
  if (kind === 'local_service') return { kind, url: 'http://127.0.0.1:', idField: '', pollIntervalMs: 300 };
  if (kind === 'vendor_sdk') return { kind, libraryPath: '', pollIntervalMs: 300 };
  return { kind };
}

/** The ID-card reader on the devices page: which adapter, its settings, its live status and last error. */
export function ReaderPanel() {
  const t = useT();
  const reader = useApp((s) => s.reader);
  const { form, setForm, save, outcome } = useDeviceSetting(
    useSupervisorData('devices.idReader.get', {}),
    (idReader) => supervisorCall('devices.idReader.save', { idReader }),
    IdReaderSetting,
  );
  if (!form) return <div className="sup-panel" data-testid="reader-panel" />;

  return (
    <div className="sup-panel" data-testid="reader-panel">
      <h3>{t('reader.title')}</h3>
      {reader && reader.kind !== 'keyboard_wedge' ? (
        <>
          <ReaderStatusText reader={reader} label={t('devices.reader.status')} />
          {reader.lastError?.detail && (
            <p className="muted" data-testid="reader-detail">
              {t('devices.reader.detail')}: {reader.lastError.detail}
            </p>
          )}
        </>
      ) : (
        <p className="muted">{t('devices.reader.wedgeNote')}</p>
      )}
      <label>
        {t('devices.reader.kind')}
        <select data-testid="reader-kind" value={form.kind} onChange={(e) => setForm(blank(e.target.value as IdReaderKind))}>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`reader.kind.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      {form.kind === 'local_service' && (
        <>
          <label>
            {t('devices.reader.url')}
            <input value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
          </label>
          <label>
            {t('devices.reader.idField')}
            <input value={form.idField} onChange={(e) => setForm({ ...form, idField: e.target.value })} />
          </label>
        </>
      )}
      {form.kind === 'vendor_sdk' && (
        <label>
          {t('devices.reader.libraryPath')}
          <input value={form.libraryPath} onChange={(e) => setForm({ ...form, libraryPath: e.target.value })} />
        </label>
      )}
      {form.kind !== 'keyboard_wedge' && (
        <label>
          {t('devices.reader.pollIntervalMs')}
          <input
            type="number"
            min={100}
            max={5000}
            value={form.pollIntervalMs}
            onChange={(e) => setForm({ ...form, pollIntervalMs: Number(e.target.value) })}
          />
        </label>
      )}
      <div className="sup-actions">
        <button type="button" onClick={() => void save(form)} data-testid="reader-save">
          {t('reader.save')}
        </button>
      </div>
      {outcome}
    </div>
  );
}
