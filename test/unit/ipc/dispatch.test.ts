import { describe, expect, it, vi } from 'vitest';
import { dispatch, type Routes } from '../../../electron/core/dispatch';
import { RouteError } from '../../../shared/ipc/result';

function routesWith(overrides: Partial<Routes> = {}): Routes {
  const base = {
    'app.status': vi.fn(),
    'queue.wake': vi.fn(() => ({ ok: true as const })),
    'scan.submit': vi.fn(),
    'scan.recent': vi.fn(() => []),
  };
  return new Proxy({ ...base, ...overrides } as Routes, {
    get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? vi.fn(),
  });
}

describe('dispatch', () => {
  it('never calls a route with input that fails its schema', async () => {
    const submit = vi.fn();
    const routes = routesWith({ 'scan.submit': submit });
    const bad = [
      undefined,
      null,
      'text',
      {},
      { raw: 42, source: 'keyboard' },
      { raw: 'x', source: 'telepathy' },
      { raw: 'x', source: 'keyboard', extra: true },
      { raw: 'x'.repeat(5000), source: 'keyboard' },
    ];
    for (const input of bad) {
      const result = await dispatch(routes, 'scan.submit', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('bad_input');
    }
    expect(submit).not.toHaveBeenCalled();
  });

  it('passes parsed input through and wraps the value', async () => {
    const recent = vi.fn(() => [{ id: 1 }]);
    const result = await dispatch(routesWith({ 'scan.recent': recent as never }), 'scan.recent', { limit: 5 });
    expect(recent).toHaveBeenCalledWith({ limit: 5 });
    expect(result).toEqual({ ok: true, value: [{ id: 1 }] });
  });

  it('refuses channels that are not in the contract, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const result = await dispatch(routesWith(), name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('turns thrown errors into coded results instead of letting them cross', async () => {
    const cases: [unknown, string][] = [
      [new RouteError('locked', 'locked for 5 minutes'), 'locked'],
      [Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'storage_full'],
      [Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }), 'storage_failed'],
      [new Error('boom'), 'internal'],
    ];
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const [error, code] of cases) {
      const routes = routesWith({ 'app.status': () => Promise.reject(error) });
      const result = await dispatch(routes, 'app.status', {});
      expect(result).toMatchObject({ ok: false, error: { code } });
    }
    spy.mockRestore();
  });
});

describe('dispatch authorisation', () => {
  it('checks the supervisor session of every supervisor channel before its route runs, and no staff channel', async () => {
    const { channels, contract } = await import('../../../shared/ipc/contract');
    for (const channel of channels) {
      const route = vi.fn();
      const checkSupervisor = vi.fn(() => {
        throw new RouteError('unauthorized', 'supervisor mode is locked');
      });
      const routes = new Proxy({ checkSupervisor } as unknown as Routes, {
        get: (_target, key) => (key === 'checkSupervisor' ? checkSupervisor : route),
      });
      const spec = contract[channel];
      const input = spec.auth === 'supervisor' ? { session: 'x'.repeat(32) } : {};
      // Channels that need more than the session are covered by the schema test above.
      if (!spec.input.safeParse(input).success) continue;
      const probe = await dispatch(routes, channel, input);
      if (spec.auth === 'supervisor') {
        expect(checkSupervisor, channel).toHaveBeenCalled();
        expect(probe, channel).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
        expect(route, channel).not.toHaveBeenCalled();
      } else {
        expect(checkSupervisor, channel).not.toHaveBeenCalled();
      }
    }
  });
});

describe('dispatch: the operator at work', () => {
  it('checks the operator of every operator channel before its route runs, and of no other channel', async () => {
    const { channels, contract } = await import('../../../shared/ipc/contract');
    const operatorChannels = channels.filter((c) => contract[c].auth === 'operator');
    // Scanning and the shift's own acts; the sign-in itself must stay open to whoever is at the window.
    expect(operatorChannels).toEqual(
      expect.arrayContaining(['scan.submit', 'scan.recent', 'shift.break', 'shift.handover', 'shift.signOut']),
    );
    expect(operatorChannels).not.toContain('shift.signIn');
    for (const channel of channels) {
      const route = vi.fn();
      const checkOperator = vi.fn(() => {
        throw new RouteError('unauthorized', 'the window is locked for a break', 'op.error.breakLocked');
      });
      const routes = new Proxy({} as Routes, {
        get: (_target, key) => (key === 'checkOperator' ? checkOperator : route),
      });
      const spec = contract[channel];
      const input = spec.auth === 'supervisor' ? { session: 'x'.repeat(32) } : {};
      if (!spec.input.safeParse(input).success) continue;
      const probe = await dispatch(routes, channel, input);
      if (spec.auth === 'operator') {
        expect(probe, channel).toMatchObject({ ok: false, error: { detail: 'op.error.breakLocked' } });
        expect(route, channel).not.toHaveBeenCalled();
      } else expect(checkOperator, channel).not.toHaveBeenCalled();
    }
  });
});
