import { useEffect, useState, type FormEvent } from 'react';
import {
  DOUYIN_BASE_URLS,
  settingsProblems,
  type CredentialsPatch,
  type FieldProblem,
  type SettingsView,
} from '../../../shared/domain/settings-form';
import { Settings } from '../../../shared/domain/settings';
import { isMessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { HubPairing } from './HubPairing';

type Form = SettingsView['settings'];
const DEFAULTS = Settings.parse({});

/**
 * Supervisor-only settings. Credentials are write-only: their inputs start empty, an empty input
 * leaves the stored secret alone, and only "configured" and the key's last 4 characters come back.
 */
export function SettingsPanel() {
  const t = useT();
  const { data: view, setData: setView, error, setError } = useSupervisorData('supervisor.settings', {});
  const [form, setForm] = useState<Form | null>(null);
  const [secrets, setSecrets] = useState<Required<CredentialsPatch>>({ clientKey: '', clientSecret: '', tokenServiceUrl: '' });
  const [clear, setClear] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saved, setSaved] = useState(false);
  const [logPath, setLogPath] = useState<string | null>(null);
  // In the app main opens the folder; in web mode the supervisor gets the path to open.
  const openLogs = async () => {
    const result = await supervisorCall('system.openLogFolder', {});
    if (result.ok) setLogPath(result.value.path);
    else setError(result.error);
  };

  // The form starts from what was loaded, and again from what a save stored.
  useEffect(() => setForm(view?.settings ?? null), [view]);
  if (!view || !form) return error ? <p className="error">{t(errorKey(error))}</p> : null;

  const credentials = (): CredentialsPatch => {
    if (clear) return { clientKey: '', clientSecret: '', tokenServiceUrl: '' };
    return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim() !== '')) as CredentialsPatch;
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(null);
    // The same rules as main, so a message appears at once; main checks again regardless. The
    // defaults stand in for the fields this screen does not edit.
    const local = settingsProblems(DEFAULTS, form, credentials());
    setProblems(local);
    if (local.length > 0) return;
    const result = await supervisorCall('supervisor.settings.save', { settings: form, credentials: credentials() });
    if (!result.ok) return setError(result.error);
    if (!result.value.saved) return setProblems(result.value.problems as FieldProblem[]);
    setView(result.value.view);
    setSecrets({ clientKey: '', clientSecret: '', tokenServiceUrl: '' });
    setClear(false);
    setSaved(true);
  };
  const problemOf = (field: string) => {
    const problem = problems.find((p) => p.field === field);
    if (!problem) return null;
    const key = `settings.invalid.${field}`;
    return (
      <span className="error" data-testid={`problem-${field}`}>
        {problem.rule === 'required' ? t('settings.invalid.pair') : isMessageKey(key) ? t(key) : t('error.bad_input')}
      </span>
    );
  };
  const text = (
    name: 'windowName' | 'staffName' | 'poiId' | 'baseUrl' | 'voucherFeedUrl' | 'douyinAccountId',
    extra: Record<string, string> = {},
  ) => (
    <label>
      {t(`settings.${name}`)}
      <input
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        data-testid={`settings-${name}`}
        {...extra}
      />
      {problemOf(name)}
    </label>
  );
  const toggle = (name: 'offlineAdmits' | 'kiosk' | 'autoStart' | 'sound') => (
    <label className="sup-check">
      <input type="checkbox" checked={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.checked })} />
      {t(`settings.${name}`)}
    </label>
  );
  const secret = (name: keyof CredentialsPatch, status: string) => (
    <label>
      {t(`settings.${name}`)} <span className="muted">({status})</span>
      <input
        type="password"
        autoComplete="off"
        value={secrets[name]}
        disabled={clear}
        placeholder={t('settings.secretPlaceholder')}
        onChange={(e) => setSecrets({ ...secrets, [name]: e.target.value })}
        data-testid={`settings-${name}`}
      />
      {problemOf(name)}
    </label>
  );
  const c = view.credentials;
  const configured = (yes: boolean) => (yes ? t('settings.configured') : t('settings.notConfigured'));

  return (
    <>
      <form className="sup-panel sup-settings" onSubmit={(e) => void save(e)} data-testid="settings">
        <fieldset>
          <legend>{t('settings.window')}</legend>
          {text('windowName', { maxLength: '40' })}
          {text('staffName', { maxLength: '40' })}
          {text('poiId', { inputMode: 'numeric' })}
          {text('douyinAccountId', { inputMode: 'numeric' })}
          {text('voucherFeedUrl', { placeholder: 'https://' })}
          <label>
            {t('settings.language')}
            <select
              value={form.language}
              onChange={(e) => setForm({ ...form, language: e.target.value === 'en' ? 'en' : 'zh-CN' })}
            >
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          {toggle('offlineAdmits')}
          <label>
            {t('settings.offlineCoupons')}
            <select
              value={form.offlineCoupons}
              onChange={(e) => setForm({ ...form, offlineCoupons: e.target.value === 'admit' ? 'admit' : 'refuse' })}
              data-testid="settings-offlineCoupons"
            >
              <option value="refuse">{t('settings.offlineCoupons.refuse')}</option>
              <option value="admit">{t('settings.offlineCoupons.admit')}</option>
            </select>
          </label>
          {toggle('sound')}
          {toggle('kiosk')}
          {toggle('autoStart')}
          <label>
            {t('settings.historyRetentionDays')}
            <input
              type="number"
              min={30}
              max={3650}
              value={form.historyRetentionDays}
              onChange={(e) => setForm({ ...form, historyRetentionDays: Math.trunc(Number(e.target.value)) })}
              data-testid="settings-historyRetentionDays"
            />
            {problemOf('historyRetentionDays')}
          </label>
        </fieldset>
        <fieldset>
          <legend>
            {t('settings.douyin')} · {view.mode === 'live' ? t('app.live') : t('app.demo')}
          </legend>
          {text('baseUrl', { placeholder: DOUYIN_BASE_URLS.production })}
          <div className="sup-actions">
            <button type="button" onClick={() => setForm({ ...form, baseUrl: DOUYIN_BASE_URLS.production })}>
              {t('settings.production')}
            </button>
            <button type="button" onClick={() => setForm({ ...form, baseUrl: DOUYIN_BASE_URLS.sandbox })}>
              {t('settings.sandbox')}
            </button>
          </div>
          {view.secretNeeded && (
            <p className="error" role="alert" data-testid="settings-secret-needed">
              {t('settings.secretNeeded')}
            </p>
          )}
          {secret(
            'clientKey',
            c.clientKey.configured ? t('settings.keyEnding', { last4: c.clientKey.last4 ?? '' }) : configured(false),
          )}
          {secret('clientSecret', configured(c.clientSecret.configured))}
          {secret('tokenServiceUrl', configured(c.tokenServiceUrl.configured))}
          <label className="sup-check">
            <input type="checkbox" checked={clear} onChange={(e) => setClear(e.target.checked)} />
            {t('settings.clearCredentials')}
          </label>
          {view.secretCodec === 'plain' && <p className="muted">{t('settings.plainCodec')}</p>}
        </fieldset>
        <div className="sup-actions">
          <button type="submit" className="primary" data-testid="settings-save">
            {t('sup.save')}
          </button>
          {saved && <span data-testid="settings-saved">{t('settings.saved')}</span>}
          {error && <span className="error">{t(errorKey(error))}</span>}
          <button type="button" className="sup-right" onClick={() => void openLogs()} data-testid="open-logs">
            {t('settings.openLogs')}
          </button>
        </div>
        {logPath && (
          <p className="muted" data-testid="log-path">
            {t('settings.logsAt', { path: logPath })}
          </p>
        )}
      </form>
      <HubPairing />
    </>
  );
}
