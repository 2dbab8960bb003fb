import type { Db } from '../db/connection';
import type { OutboxWorker } from '../outbox/worker';
import type { DouyinCredentials } from '../secrets/douyin-credentials';
import type { SecretStore } from '../secrets/store';
import type { SettingsStore } from '../settings/store';
import { AuditLog } from './audit-log';
import { ExportDesk } from './export-desk';
import { CouponUndos } from './coupon-undos';
import { HistoryRepository } from './history-repository';
import { PinVault } from './pin-vault';
import { OperatorBook } from '../operators/operator-book';
import { QueueDesk } from './queue-desk';
import { SupervisorSessions } from './sessions';
import { SettingsAdmin } from './settings-admin';
import { ShiftBook } from './shift-book';
import { DayViewBook } from './day-view';

export interface SupervisorDeps {
  db: Db;
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  douyin: DouyinCredentials;
  worker: OutboxWorker;
  now: () => number;
  mode: () => 'demo' | 'live';
  reconnect: () => Promise<void>;
  /** The lost-secret-store notice (secrets/key-loss), acknowledged in this supervisor's name. */
  acknowledgeKeyLoss: (audit: AuditLog) => void;
  /** Tests shorten the idle lock. */
  idleMs?: number;
}

export type Supervisor = ReturnType<typeof createSupervisor>;

/** Everything supervisor mode needs, built once by the composition root. */
export function createSupervisor(deps: SupervisorDeps) {
  const { db, now, settings } = deps;
  const sessions = new SupervisorSessions(now, deps.idleMs, () => audit.record('session_expired'));
  // The supervisor whose session is open, at this window; before any sign-in, the role.
  const actor = () => `${sessions.holder() ?? 'supervisor'}@${settings.get().windowName}`;
  const audit = new AuditLog(db, now, actor);
  const undos = new CouponUndos(db, now);
  const history = new HistoryRepository(db, undos);
  const pins = new PinVault(db, now);
  return {
    actor,
    audit,
    pins,
    operators: new OperatorBook(db, pins, now),
    sessions,
    history,
    undos,
    queue: new QueueDesk(db, now),
    shifts: new ShiftBook(db, now),
    days: new DayViewBook(db),
    exports: new ExportDesk(deps.dataDir, db.name, now),
    settingsAdmin: new SettingsAdmin({
      settings,
      secrets: deps.secrets,
      douyin: deps.douyin,
      mode: deps.mode,
      reconnect: deps.reconnect,
    }),
    worker: deps.worker,
    acknowledgeKeyLoss: () => deps.acknowledgeKeyLoss(audit),
    /** How long a supervisor's undo waits for Douyin before answering "queued". */
    answerBudgetMs: () => settings.get().answerBudgetMs,
    place: () => ({ windowName: settings.get().windowName, poiId: settings.get().poiId ?? null }),
  };
}
