import { useCallback, useEffect, useState } from 'react';
import type { Input, Output } from '../../shared/ipc/contract';
import type { AppError } from '../../shared/ipc/result';
import { supervisorCall, type SessionChannel } from '../stores/supervisor';

/**
 * The panels' fetch-and-show: calls the channel when mounted (and when `refreshOn` changes),
 * keeps the last value, and shows the last error. A later success leaves the error standing, so
 * an action's refusal stays visible after the list it refreshed.
 */
export function useSupervisorData<C extends SessionChannel>(
  channel: C,
  input: Omit<Input<C>, 'session'>,
  refreshOn: readonly unknown[] = [],
) {
  const [data, setData] = useState<Output<C> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // By value: callers pass a fresh object literal on every render.
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    const result = await supervisorCall(channel, JSON.parse(key) as Omit<Input<C>, 'session'>);
    if (result.ok) setData(result.value);
    else setError(result.error);
  }, [channel, key]);
  useEffect(() => {
    void reload();
  }, [reload, ...refreshOn]);
  return { data, setData, error, setError, reload };
}
