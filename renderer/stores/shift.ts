import { create } from 'zustand';
import type { SignedIn, SignInState } from '../../shared/domain/operators';
import type { ShiftReport } from '../../shared/domain/supervisor';
import type { AppError } from '../../shared/ipc/result';
import { api } from '../api';
import { useApp } from './app';

/** What the scan screen shows: the sign-in form, the break lock, or the scanning screen. */
export type Gate = 'signIn' | 'break' | 'open';

export function gateOf(state: SignInState | null): Gate {
  // Until the core has answered, the scanning screen: the core refuses a scan it must refuse anyway.
  if (!state) return 'open';
  if (state.onBreak) return 'break';
  return state.required && state.operator === null ? 'signIn' : 'open';
}

interface ShiftStore {
  state: SignInState | null;
  /** What the shift before handed over, for the operator who just signed in, until they dismiss it. */
  welcome: SignedIn | null;
  /** The figures of the shift just ended at this window, until the next sign-in. */
  ended: ShiftReport | null;
  load(): Promise<void>;
  /** Signs in (or ends the break); the core's refusal comes back to the form that asked. */
  signIn(staffNo: string, pin: string): Promise<AppError | null>;
  lockForBreak(): Promise<AppError | null>;
  end(kind: 'handover' | 'signOut'): Promise<AppError | null>;
  dismiss(): void;
}

/** Who is at the window, as the core says (sign-in, break, handover: issue 15). */
export const useShift = create<ShiftStore>((set) => ({
  state: null,
  welcome: null,
  ended: null,

  async load() {
    const result = await api.invoke('shift.state', {});
    if (result.ok) set({ state: result.value });
  },

  async signIn(staffNo, pin) {
    const result = await api.invoke('shift.signIn', { staffNo, pin });
    if (!result.ok) return result.error;
    const signed = result.value;
    const worthShowing = signed.handedOver !== null || signed.queued > 0 || signed.needsAttention > 0;
    set((s) => ({
      state: signed.state,
      // Back from a break is the same shift: nothing was handed over.
      welcome: s.state?.onBreak ? s.welcome : worthShowing ? signed : null,
      ended: null,
    }));
    void useApp.getState().refreshRecent();
    return null;
  },

  async lockForBreak() {
    const result = await api.invoke('shift.break', {});
    if (!result.ok) return result.error;
    set({ state: result.value });
    return null;
  },

  async end(kind) {
    const result = await api.invoke(kind === 'handover' ? 'shift.handover' : 'shift.signOut', {});
    if (!result.ok) return result.error;
    set((s) => ({
      ended: result.value,
      welcome: null,
      state: s.state && { ...s.state, operator: null, shiftId: null, openedAt: null },
    }));
    void useApp.getState().refreshRecent(true);
    // The core's word on what the window is now.
    void useShift.getState().load();
    return null;
  },

  dismiss() {
    set({ welcome: null, ended: null });
  },
}));
