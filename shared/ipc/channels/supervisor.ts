import { z } from 'zod';
import { AttemptView, HistoryCursor, HistoryFilter, HistoryPage, UndoReason } from '../../domain/history';
import { CredentialsPatch, SaveSettingsResult, SettingsPatch, SettingsView } from '../../domain/settings-form';
import {
  AuditEntry,
  AuthState,
  ExportFormat,
  ExportStarted,
  HandledNote,
  NewPin,
  QueueView,
  SessionGrant,
  ShiftReport,
} from '../../domain/supervisor';
import { StaffNo } from '../../domain/operators';
import { done, none, staff, supervisorOnly, type ChannelSpec } from './common';

const outboxId = z.number().int().positive();

export const supervisorChannels = {
  'supervisor.auth': staff(none, AuthState),
  /** First run only: there is no PIN yet. Setting it also unlocks. */
  'supervisor.pin.set': staff(z.object({ pin: NewPin }).strict(), SessionGrant),
  'supervisor.pin.change': supervisorOnly({ pin: NewPin }, done),
  /** Without 工号, the first supervisor (the single PIN of earlier versions became that one). */
  'supervisor.unlock': staff(z.object({ pin: z.string().max(64), staffNo: StaffNo.optional() }).strict(), SessionGrant),
  /** The supervisor is still at the screen: push the idle expiry back. */
  'supervisor.touch': supervisorOnly({}, SessionGrant),
  'supervisor.lock': supervisorOnly({}, done),

  'supervisor.history': supervisorOnly(
    { filter: HistoryFilter, after: HistoryCursor.optional(), limit: z.number().int().min(1).max(200) },
    HistoryPage,
  ),
  /** An opened history row's attempts, oldest first (none for a scan never sent). */
  'supervisor.history.attempts': supervisorOnly({ scanId: z.number().int().positive() }, z.array(AttemptView)),
  /**
   * 撤销核销: undo a verified coupon within the hour, with a reason (audited in the supervisor's
   * 工号). Queued like a verify when Douyin is away; answers once Douyin did, or the answer budget ran out.
   */
  'supervisor.coupon.undo': supervisorOnly(
    { scanId: z.number().int().positive(), reason: UndoReason },
    z.object({
      state: z.enum(['undone', 'pending', 'refused', 'needs_attention']),
      /** Douyin's words (or the local reason) when refused or set aside. */
      message: z.string().nullable(),
    }),
  ),
  'supervisor.queue': supervisorOnly({}, QueueView),
  'supervisor.queue.retry': supervisorOnly({ outboxId }, done),
  'supervisor.queue.handled': supervisorOnly({ outboxId, note: HandledNote }, done),
  /** The supervisor has read the lost-secret-store notice (audited); it leaves the screens. */
  'supervisor.secretsLost.acknowledge': supervisorOnly({}, done),

  'supervisor.shift.current': supervisorOnly({}, ShiftReport),
  'supervisor.shift.close': supervisorOnly({}, ShiftReport),
  /** The report to print: a given close, or the last one. Electron prints it with printToPDF. */
  'supervisor.printReport': supervisorOnly({ closeId: z.number().int().positive().optional() }, ShiftReport),

  /** Writes the CSV (or .xlsx) to a file in the core, yielding between batches; the renderer then pulls chunks. */
  'supervisor.export.start': supervisorOnly({ filter: HistoryFilter, format: ExportFormat.optional() }, ExportStarted),
  'supervisor.export.chunk': supervisorOnly(
    { exportId: z.string().regex(/^[\w-]{8,64}$/), index: z.number().int().min(0) },
    z.object({ base64: z.string(), last: z.boolean() }),
  ),

  'supervisor.settings': supervisorOnly({}, SettingsView),
  'supervisor.settings.save': supervisorOnly({ settings: SettingsPatch, credentials: CredentialsPatch }, SaveSettingsResult),
  'supervisor.audit': supervisorOnly(
    { before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200) },
    z.array(AuditEntry),
  ),
} satisfies Record<string, ChannelSpec>;
