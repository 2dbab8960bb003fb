import { z } from 'zod';
import { SignedIn, SignInState, StaffNo } from '../../domain/operators';
import { ShiftReport } from '../../domain/supervisor';
import { done, none, operator, staff, supervisorOnly, type ChannelSpec } from './common';

/**
 * Sign-in to scan and the shift (交接班), issue 15. Signing in is a staff channel: whoever stands at
 * the window; the PIN, not a session, says who they are. A break, a handover and a sign-out are the
 * signed-in operator's own acts: operator channels, refused while the screen is locked.
 */
export const shiftChannels = {
  'shift.state': staff(none, SignInState),
  /** Opens the operator's shift, or ends their break. */
  'shift.signIn': staff(z.object({ staffNo: StaffNo, pin: z.string().max(64) }).strict(), SignedIn),
  /** Locks the screen for a break; the shift stays open. */
  'shift.break': operator(none, SignInState),
  'shift.handover': operator(none, ShiftReport),
  'shift.signOut': operator(none, ShiftReport),
  /** Whether scanning needs a sign-in; without one, scans name the default operator. */
  'operators.signInPolicy': supervisorOnly({ required: z.boolean(), defaultOperatorNo: StaffNo.optional() }, done),
} satisfies Record<string, ChannelSpec>;
