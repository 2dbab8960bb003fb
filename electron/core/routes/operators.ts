import type { operatorChannels } from '../../../shared/ipc/channels/operators';
import type { Handlers } from '../dispatch';
import type { Supervisor } from '../supervisor';

type OperatorRoutes = Pick<Handlers, keyof typeof operatorChannels>;

/** The operators desk of supervisor mode; every change is audited, never with a PIN. */
export function createOperatorRoutes(sup: Supervisor): OperatorRoutes {
  const { audit, operators } = sup;
  const done = { ok: true as const };
  return {
    'operators.list': () => operators.list(),
    'supervisor.dayView': ({ date }) => sup.days.of(date),
    'operators.add': async ({ operator }) => {
      const added = await operators.add(operator);
      audit.record('operator_added', `${added.staffNo} ${added.role}`);
      return operators.list().find((o) => o.staffNo === added.staffNo)!;
    },
    'operators.resetPin': async ({ staffNo, pin }) => {
      await operators.resetPin(staffNo, pin);
      audit.record('operator_pin_reset', staffNo);
      return done;
    },
    'operators.setDisabled': ({ staffNo, disabled }) => {
      operators.setDisabled(staffNo, disabled);
      audit.record(disabled ? 'operator_disabled' : 'operator_enabled', staffNo);
      return done;
    },
  };
}
