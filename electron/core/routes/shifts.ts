import type { shiftChannels } from '../../../shared/ipc/channels/shifts';
import type { Handlers } from '../dispatch';
import type { SignInDesk } from '../operators/sign-in-desk';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';

type ShiftRoutes = Pick<Handlers, keyof typeof shiftChannels>;

/** Sign-in, break, handover and sign-out at the scan screen; the desk audits each in the operator's name. */
export function createShiftRoutes(desk: SignInDesk, sup: Supervisor, settings: SettingsStore): ShiftRoutes {
  return {
    'shift.state': () => desk.state(),
    'shift.signIn': ({ staffNo, pin }) => desk.signIn(staffNo, pin),
    'shift.break': () => desk.lockForBreak(),
    'shift.handover': () => desk.end('handover'),
    'shift.signOut': () => desk.end('sign_out'),
    'operators.signInPolicy': ({ required, defaultOperatorNo }) => {
      settings.update({ signInRequired: required, defaultOperatorNo });
      sup.audit.record('sign_in_policy', `${required ? 'required' : 'not required'}, default ${defaultOperatorNo ?? '-'}`);
      return { ok: true as const };
    },
  };
}
