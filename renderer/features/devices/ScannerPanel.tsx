import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ScannerSetting } from '../../../shared/domain/devices';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import { useDeviceSetting } from './useDeviceSetting';

const SUFFIXES = ['enter_or_tab', 'enter', 'tab', 'none'] as const;
const SUFFIX_KEYS: Record<ScannerSetting['suffix'], readonly string[]> = {
  enter_or_tab: ['Enter', 'Tab'],
  enter: ['Enter'],
  tab: ['Tab'],
  none: ['Enter', 'Tab'],
};
// A test burst is over when nothing follows for this long, whatever the setting says.
const TEST_QUIET_MS = 400;

interface Key {
  key: string;
  code: string;
  gap: number;
}

type Verdict = { kind: 'read'; text: string } | { kind: 'typed' } | { kind: 'ime' } | { kind: 'ime_lost' };

/**
 * Judges a finished test burst by the supervisor's setting: all gaps within the burst gap and
 * the suffix the scanner is set to send (or none, when the setting says none).
 */
function judge(keys: readonly Key[], setting: ScannerSetting): Verdict {
  const last = keys.at(-1);
  const ended = last !== undefined && SUFFIX_KEYS[setting.suffix].includes(last.key);
  const body = ended ? keys.slice(0, -1) : keys;
  const fast = keys.slice(1).every((k) => k.gap <= setting.burstGapMs);
  if (!fast || (!ended && setting.suffix !== 'none')) return { kind: 'typed' };
  // IME keys carry only their code: the scan screen recovers the characters from it, if it has one.
  const ime = body.filter((k) => k.key === 'Process');
  if (ime.length > 0) return ime.every((k) => k.code) ? { kind: 'ime' } : { kind: 'ime_lost' };
  return { kind: 'read', text: body.map((k) => (k.key.length === 1 ? k.key : '')).join('') };
}

/**
 * The scanner on the devices page: its suffix and burst gap, and a box that shows what a scan
 * really sends (each key, its code, the gap before it). The box carries data-scanner-test, so
 * the window's scanner listener leaves its keys alone and nothing scanned here is verified.
 */
export function ScannerPanel() {
  const t = useT();
  const current = useApp((s) => s.status?.scanner);
  // No get channel: the setting is the one in the window's status, taken once so that a later
  // status does not overwrite an edit; after a save the whole status is read again.
  const [data] = useState(() => ScannerSetting.parse(current ?? {}));
  const [error, setError] = useState<AppError | null>(null);
  const { form, setForm, save, outcome } = useDeviceSetting(
    { data, error, setError, reload: () => useApp.getState().load() },
    (scanner) => supervisorCall('devices.scanner.save', { scanner }),
  );
  const [keys, setKeys] = useState<Key[]>([]);
  const [burst, setBurst] = useState<Key[] | null>(null);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(event.key)) return;
    event.preventDefault();
    const now = event.timeStamp;
    const gap = keys.length === 0 ? 0 : Math.round(now - last.current);
    last.current = now;
    const next = [...keys, { key: event.key, code: event.code, gap }];
    setKeys(next);
    clearTimeout(timer.current);
    const finish = () => {
      setBurst(next);
      setKeys([]);
    };
    if (SUFFIX_KEYS[form.suffix].includes(event.key)) finish();
    else timer.current = setTimeout(finish, TEST_QUIET_MS);
  };

  const verdict = burst && judge(burst, form);
  const gaps = burst?.slice(1).map((k) => k.gap) ?? [];
  return (
    <div className="sup-panel" data-testid="scanner-panel">
      <h3>{t('scanner.title')}</h3>
      <label>
        {t('scanner.suffix')}
        <select
          data-testid="scanner-suffix"
          value={form.suffix}
          onChange={(e) => setForm({ ...form, suffix: e.target.value as ScannerSetting['suffix'] })}
        >
          {SUFFIXES.map((s) => (
            <option key={s} value={s}>
              {t(`scanner.suffix.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scanner.burstGapMs')}
        <input
          type="number"
          min={10}
          max={200}
          value={form.burstGapMs}
          onChange={(e) => setForm({ ...form, burstGapMs: Number(e.target.value) })}
        />
      </label>
      <div className="sup-actions">
        <button type="button" onClick={() => void save(form)} data-testid="scanner-save">
          {t('scanner.save')}
        </button>
      </div>
      {outcome}
      <h4>{t('scanner.test.title')}</h4>
      <div
        className="scanner-test"
        data-scanner-test
        data-testid="scanner-test"
        tabIndex={0}
        role="textbox"
        aria-label={t('scanner.test.title')}
        onKeyDown={onKey}
      >
        <p className="muted">{t('scanner.test.hint')}</p>
        {!burst && <p>{t('scanner.test.empty')}</p>}
        {burst && verdict && (
          <>
            <p data-testid="scanner-test-verdict" data-verdict={verdict.kind}>
              {verdict.kind === 'read' && t('scanner.test.read', { text: verdict.text })}
              {verdict.kind === 'typed' && t('scanner.test.typed')}
              {verdict.kind === 'ime' && t('scanner.test.ime')}
              {verdict.kind === 'ime_lost' && t('scanner.test.imeLost')}
            </p>
            <p data-testid="scanner-test-summary">
              {t('scanner.test.summary', {
                count: burst.length,
                total: gaps.reduce((a, b) => a + b, 0),
                max: Math.max(0, ...gaps),
              })}
            </p>
            <table className="sup-table">
              <thead>
                <tr>
                  <th>{t('scanner.test.key')}</th>
                  <th>{t('scanner.test.code')}</th>
                  <th>{t('scanner.test.gap')}</th>
                </tr>
              </thead>
              <tbody>
                {burst.map((k, i) => (
                  <tr key={i}>
                    <td>{k.key}</td>
                    <td>{k.code}</td>
                    <td>{k.gap}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
