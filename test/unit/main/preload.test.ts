import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_PREFIX, IPC_INVOKE, type TicketWindowApi } from '../../../shared/ipc/api';

const electron = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed,
    listeners,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) },
    ipcRenderer: {
      invoke: vi.fn(async () => ({ ok: true, value: 'answer' })),
      on: vi.fn((name: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name)!.add(fn);
      }),
      removeListener: vi.fn((name: string, fn: (...args: unknown[]) => void) => listeners.get(name)?.delete(fn)),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

let api: TicketWindowApi;
beforeAll(async () => {
  await import('../../../electron/preload/index');
  api = electron.exposed.ticketWindow as TicketWindowApi;
});

const emit = (name: string, payload: unknown) => {
  const ipcEvent = { sender: { send: () => 'raw ipcRenderer' }, ports: [], senderFrame: {} };
  for (const fn of electron.listeners.get(name) ?? []) fn(ipcEvent, payload);
};

describe('the preload', () => {
  it('exposes one object, with only invoke and on', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(electron.exposed)).toEqual(['ticketWindow']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('invoke goes through the one invoke channel with the contract channel and input', async () => {
    await expect(api.invoke('app.status', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'app.status', {});
  });

  it('on passes only the payload: the Electron event object never reaches the listener', () => {
    const listener = vi.fn();
    api.on('status.changed', listener);
    emit(`${IPC_EVENT_PREFIX}status.changed`, { mode: 'demo' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ mode: 'demo' }]);
  });

  it('on returns an unsubscribe that stops the listener', () => {
    const listener = vi.fn();
    const unsubscribe = api.on('scan.updated', listener);
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
    emit(`${IPC_EVENT_PREFIX}scan.updated`, { id: 1 });
    expect(listener).not.toHaveBeenCalled();
    expect(electron.listeners.get(`${IPC_EVENT_PREFIX}scan.updated`)?.size).toBe(0);
  });

  it('refuses to listen to anything that is not a contract event', () => {
    expect(() => api.on('tw:invoke' as never, () => {})).toThrow(/unknown event/);
    expect(() => api.on('__proto__' as never, () => {})).toThrow(/unknown event/);
    expect(electron.ipcRenderer.on).not.toHaveBeenCalledWith('tw:invoke', expect.anything());
  });

  it('never sends outside the invoke channel', () => {
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });
});
