import type { Settings } from '../../../shared/domain/settings';
import {
  credentialFields,
  normalisePatch,
  settingsProblems,
  type CredentialsPatch,
  type FieldProblem,
  type SaveSettingsResult,
  type SettingsPatch,
  type SettingsView,
} from '../../../shared/domain/settings-form';
import type { DouyinCredentials } from '../secrets/douyin-credentials';
import type { SecretStore } from '../secrets/store';
import type { SettingsStore } from '../settings/store';

export interface SettingsAdminDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  douyin: DouyinCredentials;
  mode: () => 'demo' | 'live';
  /** Builds a new platform from the saved configuration and switches the worker over. */
  reconnect: () => Promise<void>;
}

/**
 * The supervisor's settings: plain settings through SettingsStore (which validates the whole
 * object again), Douyin credentials into the secret store. Secrets are write-only from here on:
 * the view says only whether each is set and the key's last four characters.
 */
export class SettingsAdmin {
  constructor(private readonly deps: SettingsAdminDeps) {}

  view(): SettingsView {
    const s = this.deps.settings.get();
    const secret = (name: 'clientKey' | 'clientSecret' | 'tokenServiceUrl') => this.deps.secrets.get(name);
    const key = secret('clientKey');
    return {
      settings: {
        windowName: s.windowName,
        staffName: s.staffName,
        poiId: s.poiId ?? '',
        baseUrl: s.baseUrl ?? '',
        voucherFeedUrl: s.voucherFeedUrl ?? '',
        offlineAdmits: s.offlineAdmits,
        offlineCoupons: s.offlineCoupons,
        kiosk: s.kiosk,
        autoStart: s.autoStart,
        historyRetentionDays: s.historyRetentionDays,
        language: s.language,
        sound: s.sound,
        douyinAccountId: s.douyinAccountId ?? '',
      },
      credentials: {
        clientKey: { configured: key !== undefined, last4: key === undefined ? null : key.slice(-4) },
        clientSecret: { configured: secret('clientSecret') !== undefined },
        tokenServiceUrl: { configured: secret('tokenServiceUrl') !== undefined },
      },
      secretNeeded: this.deps.douyin.resolve(s).secretNeeded,
      mode: this.deps.mode(),
      secretCodec: this.deps.secrets.codecName,
    };
  }

  /** Nothing is written unless every field passes; returns which secrets and settings changed. */
  async save(patch: SettingsPatch, credentials: CredentialsPatch): Promise<SaveSettingsResult & { changed: string[] }> {
    const { settings, secrets, douyin } = this.deps;
    const before = settings.get();
    const problems = [...settingsProblems(before, patch, credentials), ...this.pairProblems(credentials)];
    if (problems.length > 0) return { saved: false, problems, changed: [] };

    const next = settings.update(normalisePatch(patch));
    const secretChanges: string[] = [];
    for (const field of credentialFields) {
      const value = credentials[field];
      if (value === undefined || (value === '' && secrets.get(field) === undefined)) continue;
      if (field === 'clientSecret') douyin.storeSecret(value.trim(), next);
      else secrets.set(field, value.trim());
      secretChanges.push(`${field}:${value === '' ? 'cleared' : 'set'}`);
    }
    // After the typed secret is stored: one typed in this very save belongs to the new host.
    if (douyin.forgetSecretBoundElsewhere(next)) secretChanges.push('clientSecret:cleared (base URL host changed)');
    const reconnect = before.baseUrl !== next.baseUrl || secretChanges.length > 0;
    if (reconnect) await this.deps.reconnect();
    return {
      saved: true,
      view: this.view(),
      reconnected: reconnect,
      changed: [...changedSettings(before, next), ...secretChanges],
    };
  }

  /** A client key without its secret (or the reverse) cannot get a token. */
  private pairProblems(credentials: CredentialsPatch): FieldProblem[] {
    const after = (field: 'clientKey' | 'clientSecret') => {
      const given = credentials[field];
      return given === undefined ? this.deps.secrets.get(field) !== undefined : given.trim() !== '';
    };
    if (after('clientKey') === after('clientSecret')) return [];
    return [{ field: after('clientKey') ? 'clientSecret' : 'clientKey', rule: 'required' }];
  }
}

function changedSettings(before: Settings, after: Settings): string[] {
  return (Object.keys(after) as (keyof Settings)[]).filter((k) => before[k] !== after[k]).map(String);
}
