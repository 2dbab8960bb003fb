import { z } from 'zod';
import { HistoryCursor, HistoryFilter, HistoryPage } from '../../domain/history';
import { CredentialsPatch, SaveSettingsResult, SettingsPatch, SettingsView } from '../../domain/settings-form';
import {
  AuditEntry,
  AuthState,
  ExportStarted,
  HandledNote,
  Pin,
  QueueView,
  SessionGrant,
  ShiftReport,
} from '../../domain/supervisor';
import { done, none, withSession } from './common';

const outboxId = z.number().int().positive();

export const supervisorChannels = {
  'supervisor.auth': { input: none, output: AuthState },
  /** First run only: there is no PIN yet. Setting it also unlocks. */
  'supervisor.pin.set': { input: z.object({ pin: Pin }).strict(), output: SessionGrant },
  'supervisor.pin.change': { input: withSession({ pin: Pin }), output: done },
  'supervisor.unlock': { input: z.object({ pin: z.string().max(64) }).strict(), output: SessionGrant },
  /** The supervisor is still at the screen: push the idle expiry back. */
  'supervisor.touch': { input: withSession({}), output: SessionGrant },
  'supervisor.lock': { input: withSession({}), output: done },

  'supervisor.history': {
    input: withSession({ filter: HistoryFilter, after: HistoryCursor.optional(), limit: z.number().int().min(1).max(200) }),
    output: HistoryPage,
  },
  'supervisor.queue': { input: withSession({}), output: QueueView },
  'supervisor.queue.retry': { input: withSession({ outboxId }), output: done },
  'supervisor.queue.handled': { input: withSession({ outboxId, note: HandledNote }), output: done },
  /** The supervisor has read the lost-secret-store notice (audited); it leaves the screens. */
  'supervisor.secretsLost.acknowledge': { input: withSession({}), output: done },

  'supervisor.shift.current': { input: withSession({}), output: ShiftReport },
  'supervisor.shift.close': { input: withSession({}), output: ShiftReport },
  /** The report to print: a given close, or the last one. Electron prints it with printToPDF. */
  'supervisor.printReport': { input: withSession({ closeId: z.number().int().positive().optional() }), output: ShiftReport },

  /** Writes the CSV to a file in main, yielding between batches; the renderer then pulls chunks. */
  'supervisor.export.start': { input: withSession({ filter: HistoryFilter }), output: ExportStarted },
  'supervisor.export.chunk': {
    input: withSession({ exportId: z.string().regex(/^[\w-]{8,64}$/), index: z.number().int().min(0) }),
    output: z.object({ base64: z.string(), last: z.boolean() }),
  },

  'supervisor.settings': { input: withSession({}), output: SettingsView },
  'supervisor.settings.save': {
    input: withSession({ settings: SettingsPatch, credentials: CredentialsPatch }),
    output: SaveSettingsResult,
  },
  'supervisor.audit': {
    input: withSession({ before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200) }),
    output: z.array(AuditEntry),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
