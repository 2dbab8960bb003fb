import { create } from 'zustand';
import type { SessionGrant } from '../../shared/domain/supervisor';
import type { Channel, Input, Output } from '../../shared/ipc/contract';
import type { AppError, Result } from '../../shared/ipc/result';
import { api } from '../api';

type Screen = 'scan' | 'supervisor';

interface SupervisorState {
  screen: Screen;
  grant: SessionGrant | null;
  /** Why supervisor mode was left without the supervisor asking (expired, locked out). */
  endedBecause: AppError | null;
  enter(grant: SessionGrant): void;
  leave(reason?: AppError): void;
}

/** Which screen shows, and the session token; the token lives only in memory. */
export const useSupervisor = create<SupervisorState>((set) => ({
  screen: 'scan',
  grant: null,
  endedBecause: null,
  enter: (grant) => set({ screen: 'supervisor', grant, endedBecause: null }),
  leave: (reason) => set({ screen: 'scan', grant: null, endedBecause: reason ?? null }),
}));

export type SessionChannel = { [C in Channel]: Input<C> extends { session: string } ? C : never }[Channel];

/**
 * A supervisor call with the session filled in. A refusal of the session itself sends the
 * window back to the scan screen: the server is the judge of when supervisor mode ends.
 */
export async function supervisorCall<C extends SessionChannel>(
  channel: C,
  input: Omit<Input<C>, 'session'>,
): Promise<Result<Output<C>>> {
  const { grant, leave } = useSupervisor.getState();
  if (!grant) return { ok: false, error: { code: 'unauthorized', message: 'locked', detail: 'sup.error.sessionLocked' } };
  const result = await api.invoke(channel, { ...input, session: grant.token } as Input<C>);
  if (!result.ok && (result.error.code === 'unauthorized' || result.error.code === 'locked')) leave(result.error);
  return result;
}
