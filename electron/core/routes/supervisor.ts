import type { supervisorChannels } from '../../../shared/ipc/channels/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Handlers } from '../dispatch';
import type { Supervisor } from '../supervisor';

type SupervisorRoutes = Pick<Handlers, keyof typeof supervisorChannels>;

/**
 * Supervisor mode over the contract. Dispatch has checked the session of every channel the
 * contract marks `supervisor` before these run; every action that changes something or takes
 * data out is audited.
 */
export function createSupervisorRoutes(sup: Supervisor): SupervisorRoutes {
  const { audit, operators, pins, sessions } = sup;
  const done = { ok: true as const };

  return {
    'supervisor.auth': () => {
      const first = operators.firstSupervisor();
      return { pinSet: operators.hasSupervisor(), lockedUntil: first ? pins.lockedUntil(first.id) : null };
    },
    'supervisor.pin.set': async ({ pin }) => {
      const first = await operators.addFirstSupervisor(pin);
      const grant = sessions.open(first.staffNo);
      audit.record('pin_set', `first supervisor ${first.staffNo}`);
      return grant;
    },
    'supervisor.pin.change': async ({ pin }) => {
      // Dispatch checked the session: its holder is the supervisor changing their own PIN.
      await operators.resetPin(sessions.holder() ?? '', pin);
      audit.record('pin_changed');
      return done;
    },
    'supervisor.unlock': async ({ pin, staffNo }) => {
      let supervisor;
      try {
        supervisor = await operators.authenticate(staffNo, pin, 'supervisor');
      } catch (error) {
        if (error instanceof RouteError && error.code !== 'not_found') {
          // A supervisor session already open stays open: a guess at the staff screen must not
          // throw the supervisor out (its token, not the PIN, is what that session rests on).
          audit.record(error.code === 'locked' ? 'unlock_refused_locked' : 'unlock_failed', staffNo ?? '');
        }
        throw error;
      }
      const grant = sessions.open(supervisor.staffNo);
      audit.record('unlocked');
      return grant;
    },
    'supervisor.touch': ({ session }) => sessions.check(session),
    'supervisor.lock': () => {
      sessions.end();
      audit.record('locked');
      return done;
    },

    'supervisor.history': ({ filter, after, limit }) => sup.history.page(filter, after, limit),
    'supervisor.history.attempts': ({ scanId }) => sup.history.attempts(scanId),
    'supervisor.coupon.undo': async ({ scanId, reason }) => {
      let asked;
      try {
        asked = sup.undos.request(scanId, reason, sessions.holder() ?? '');
      } catch (error) {
        if (error instanceof RouteError) audit.record('coupon_undo_refused', `scan ${scanId}: ${error.message}; ${reason}`);
        throw error;
      }
      audit.record(
        'coupon_undo',
        `scan ${scanId}, order ${asked.orderId}, ${asked.certificates} certificate(s), outbox ${asked.outboxId}: ${reason}`,
      );
      sup.worker.wake();
      const settled = await sup.undos.settled(asked.outboxId, sup.answerBudgetMs());
      const state =
        settled.state === 'verified'
          ? 'undone'
          : settled.state === 'rejected'
            ? 'refused'
            : settled.state === 'needs_attention'
              ? 'needs_attention'
              : 'pending';
      return { state, message: state === 'refused' || state === 'needs_attention' ? settled.lastReason : null };
    },
    'supervisor.queue': () => ({ items: sup.queue.open(), paused: sup.worker.paused }),
    'supervisor.queue.retry': ({ outboxId }) => {
      sup.queue.retry(outboxId);
      audit.record('queue_retry', `outbox ${outboxId}`);
      // A paused worker (configuration error) would not send it: the supervisor's retry resumes it.
      if (sup.worker.paused !== null) sup.worker.resume();
      else sup.worker.wake();
      return done;
    },
    'supervisor.queue.handled': ({ outboxId, note }) => {
      sup.queue.markHandled(outboxId, note, sup.actor());
      audit.record('queue_handled', `outbox ${outboxId}: ${note}`);
      return done;
    },

    'supervisor.secretsLost.acknowledge': () => {
      sup.acknowledgeKeyLoss();
      return done;
    },

    'supervisor.shift.current': () => sup.shifts.current(sup.place()),
    'supervisor.shift.close': () => {
      const report = sup.shifts.close(sup.place(), sup.actor());
      audit.record('shift_closed', `close ${report.closeId}: ${report.total} scans`);
      return report;
    },
    'supervisor.printReport': ({ closeId }) => {
      const report = sup.shifts.printable(closeId, sup.place());
      audit.record('report_printed', report.closeId === null ? 'open shift' : `close ${report.closeId}`);
      return report;
    },

    'supervisor.export.start': async ({ filter, format = 'csv' }) => {
      const started = await sup.exports.start(filter, format);
      audit.record('history_exported', `${started.rows} rows as ${format}, filter ${JSON.stringify(filter)}`);
      return started;
    },
    'supervisor.export.chunk': ({ exportId, index }) => sup.exports.chunk(exportId, index),

    'supervisor.settings': () => sup.settingsAdmin.view(),
    'supervisor.settings.save': async ({ settings, credentials }) => {
      const { changed, ...result } = await sup.settingsAdmin.save(settings, credentials);
      if (result.saved) audit.record('settings_saved', changed.join(', ') || 'no change');
      return result;
    },
    'supervisor.audit': ({ before, limit }) => sup.audit.list(before, limit),
  };
}
