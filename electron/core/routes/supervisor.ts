import type { supervisorChannels } from '../../../shared/ipc/channels/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Routes } from '../dispatch';
import type { Supervisor } from '../supervisor';

type SupervisorRoutes = Pick<Routes, keyof typeof supervisorChannels>;

/** Wraps a handler so it runs only inside a live supervisor session (and extends it). */
export function requireSupervisor(sup: Supervisor) {
  const { pins, sessions } = sup;
  return <I extends { session: string }, O>(handler: (input: I) => O) =>
    (input: I): O => {
      // A lockout in progress (someone is guessing) ends any session too.
      if (pins.state().lockedUntil !== null) {
        sessions.end();
        throw new RouteError('locked', 'supervisor mode is locked out', 'sup.error.lockedOut');
      }
      sessions.check(input.session);
      return handler(input);
    };
}

/**
 * Supervisor mode over the contract. Every route but the PIN ones first checks the session (and
 * pushes its idle expiry back); every action that changes something or takes data out is audited.
 */
export function createSupervisorRoutes(sup: Supervisor): SupervisorRoutes {
  const { audit, pins, sessions } = sup;
  const authed = requireSupervisor(sup);
  const done = { ok: true as const };

  return {
    'supervisor.auth': () => pins.state(),
    'supervisor.pin.set': async ({ pin }) => {
      await pins.setFirst(pin);
      audit.record('pin_set');
      return sessions.open();
    },
    'supervisor.pin.change': authed(async ({ pin }) => {
      await pins.change(pin);
      audit.record('pin_changed');
      return done;
    }),
    'supervisor.unlock': async ({ pin }) => {
      try {
        await pins.verify(pin);
      } catch (error) {
        if (error instanceof RouteError && error.code !== 'not_found') {
          audit.record(error.code === 'locked' ? 'unlock_refused_locked' : 'unlock_failed');
          if (error.code === 'locked') sessions.end();
        }
        throw error;
      }
      audit.record('unlocked');
      return sessions.open();
    },
    'supervisor.touch': authed(({ session }) => sessions.check(session)),
    'supervisor.lock': authed(() => {
      sessions.end();
      audit.record('locked');
      return done;
    }),

    'supervisor.history': authed(({ filter, after, limit }) => sup.history.page(filter, after, limit)),
    'supervisor.queue': authed(() => ({ items: sup.queue.open(), paused: sup.worker.paused })),
    'supervisor.queue.retry': authed(({ outboxId }) => {
      sup.queue.retry(outboxId);
      audit.record('queue_retry', `outbox ${outboxId}`);
      // A paused worker (configuration error) would not send it: the supervisor's retry resumes it.
      if (sup.worker.paused !== null) sup.worker.resume();
      else sup.worker.wake();
      return done;
    }),
    'supervisor.queue.handled': authed(({ outboxId, note }) => {
      sup.queue.markHandled(outboxId, note, sup.actor());
      audit.record('queue_handled', `outbox ${outboxId}: ${note}`);
      return done;
    }),

    'supervisor.secretsLost.acknowledge': authed(() => {
      sup.acknowledgeKeyLoss();
      return done;
    }),

    'supervisor.shift.current': authed(() => sup.shifts.current(sup.place())),
    'supervisor.shift.close': authed(() => {
      const report = sup.shifts.close(sup.place(), sup.actor());
      audit.record('shift_closed', `close ${report.closeId}: ${report.total} scans`);
      return report;
    }),
    'supervisor.printReport': authed(({ closeId }) => {
      const report = sup.shifts.printable(closeId, sup.place());
      audit.record('report_printed', report.closeId === null ? 'open shift' : `close ${report.closeId}`);
      return report;
    }),

    'supervisor.export.start': authed(async ({ filter }) => {
      const started = await sup.exports.start(filter);
      audit.record('history_exported', `${started.rows} rows, filter ${JSON.stringify(filter)}`);
      return started;
    }),
    'supervisor.export.chunk': authed(({ exportId, index }) => sup.exports.chunk(exportId, index)),

    'supervisor.settings': authed(() => sup.settingsAdmin.view()),
    'supervisor.settings.save': authed(async ({ settings, credentials }) => {
      const { changed, ...result } = await sup.settingsAdmin.save(settings, credentials);
      if (result.saved) audit.record('settings_saved', changed.join(', ') || 'no change');
      return result;
    }),
    'supervisor.audit': authed(({ before, limit }) => sup.audit.list(before, limit)),
  };
}
