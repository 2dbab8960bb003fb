import { z } from 'zod';
import { isHttpsOrLoopback, OfflineCoupons, Settings } from './settings';

/**
 * What the supervisor's settings screen may change, and how each field is checked. The renderer
 * runs the same checks before sending so a message appears at the field; main runs them again
 * because the renderer is not trusted.
 */
const editableFields = [
  'windowName',
  'staffName',
  'poiId',
  'baseUrl',
  'voucherFeedUrl',
  'offlineAdmits',
  'offlineCoupons',
  'kiosk',
  'autoStart',
  'historyRetentionDays',
  'language',
  'sound',
  'douyinAccountId',
] as const;
type EditableField = (typeof editableFields)[number];
export const credentialFields = ['clientKey', 'clientSecret', 'tokenServiceUrl'] as const;
type CredentialField = (typeof credentialFields)[number];

export const DOUYIN_BASE_URLS = {
  production: 'https://open.douyin.com',
  sandbox: 'https://open-sandbox.douyin.com',
} as const;

/** Loose on purpose: the field rules below give a message per field, a schema error would not. */
export const SettingsPatch = z
  .object({
    windowName: z.string().max(500),
    staffName: z.string().max(500),
    /** '' clears the field. */
    poiId: z.string().max(500),
    baseUrl: z.string().max(2000),
    voucherFeedUrl: z.string().max(2000),
    offlineAdmits: z.boolean(),
    offlineCoupons: z.string().max(16),
    kiosk: z.boolean(),
    autoStart: z.boolean(),
    historyRetentionDays: z.number().int().min(-1e6).max(1e6),
    language: z.string().max(16),
    sound: z.boolean(),
    /** '' clears the field. */
    douyinAccountId: z.string().max(500),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Write-only: absent leaves a secret as it is, '' removes it. */
export const CredentialsPatch = z
  .object({ clientKey: z.string().max(2000), clientSecret: z.string().max(2000), tokenServiceUrl: z.string().max(2000) })
  .partial()
  .strict();
export type CredentialsPatch = z.infer<typeof CredentialsPatch>;

export type FieldProblem = { field: EditableField | CredentialField; rule: string };

const credentialRules: Record<CredentialField, (value: string) => boolean> = {
  clientKey: (v) => /^[A-Za-z0-9_.-]{4,128}$/.test(v),
  clientSecret: (v) => /^[\x21-\x7E]{8,256}$/.test(v),
  tokenServiceUrl: isHttpsOrLoopback,
};

/** '' on an optional text field means "not set". */
export function normalisePatch(patch: SettingsPatch): Partial<Settings> {
  const out: Record<string, unknown> = { ...patch };
  for (const key of ['poiId', 'baseUrl', 'voucherFeedUrl', 'douyinAccountId'] as const) {
    if (typeof out[key] === 'string') out[key] = (out[key] as string).trim() || undefined;
  }
  return out as Partial<Settings>;
}

/** Every problem of the patch applied to the current settings, at most one per field. */
export function settingsProblems(current: Settings, patch: SettingsPatch, credentials: CredentialsPatch = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const parsed = Settings.safeParse({ ...current, ...normalisePatch(patch) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((editableFields as readonly unknown[]).includes(field) && !problems.some((p) => p.field === field)) {
        problems.push({ field: field as EditableField, rule: issue.code });
      }
    }
  }
  for (const field of credentialFields) {
    const value = credentials[field];
    if (value !== undefined && value !== '' && !credentialRules[field](value)) problems.push({ field, rule: 'format' });
  }
  return problems;
}

export const SettingsView = z.object({
  settings: z.object({
    windowName: z.string(),
    staffName: z.string(),
    poiId: z.string(),
    baseUrl: z.string(),
    voucherFeedUrl: z.string(),
    offlineAdmits: z.boolean(),
    offlineCoupons: OfflineCoupons,
    kiosk: z.boolean(),
    autoStart: z.boolean(),
    historyRetentionDays: z.number().int(),
    language: z.enum(['zh-CN', 'en']),
    sound: z.boolean(),
    douyinAccountId: z.string(),
  }),
  /** Never the secrets themselves: whether each is set, and the key's last 4 characters. */
  credentials: z.object({
    clientKey: z.object({ configured: z.boolean(), last4: z.string().nullable() }),
    clientSecret: z.object({ configured: z.boolean() }),
    tokenServiceUrl: z.object({ configured: z.boolean() }),
  }),
  /**
   * A client key is set but no client secret may go to the current base URL (it was entered for
   * another host, or the host changed since): the screen asks for the secret again.
   */
  secretNeeded: z.boolean(),
  mode: z.enum(['demo', 'live']),
  secretCodec: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SaveSettingsResult = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), view: SettingsView, reconnected: z.boolean() }),
  z.object({ saved: z.literal(false), problems: z.array(z.object({ field: z.string(), rule: z.string() })) }),
]);
export type SaveSettingsResult = z.infer<typeof SaveSettingsResult>;
