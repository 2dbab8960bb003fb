import type { TicketWindowApi } from '../shared/ipc/api';
import { isEventName, type Channel, type EventName, type EventPayload, type Input, type Output } from '../shared/ipc/contract';
import type { Result } from '../shared/ipc/result';

declare global {
  interface Window {
    ticketWindow?: TicketWindowApi;
  }
}

/**
 * The same API over the web transport: POST per call, one EventSource for all events. The
 * session cookie (HttpOnly, set when the printed URL was opened) authenticates both.
 */
function webApi(): TicketWindowApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let source: EventSource | undefined;
  const connect = () => {
    if (source) return;
    source = new EventSource('/api/events');
    for (const name of listeners.keys()) attach(name);
  };
  const attached = new Set<EventName>();
  const attach = (name: EventName) => {
    if (!source || attached.has(name)) return;
    attached.add(name);
    source.addEventListener(name, (message) => {
      const payload = JSON.parse((message as MessageEvent<string>).data) as never;
      for (const listener of listeners.get(name) ?? []) listener(payload);
    });
  };
  return {
    async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
      try {
        const response = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        if (response.status === 401) return { ok: false, error: { code: 'unauthorized', message: await response.text() } };
        return (await response.json()) as Result<Output<C>>;
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: String(error) } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      if (!isEventName(event)) throw new Error(`unknown event: ${String(event)}`);
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      connect();
      attach(event);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

export const api: TicketWindowApi = window.ticketWindow ?? webApi();
/** In the Electron app (not the web transport): main can do OS things such as saving a PDF. */
export const isDesktop = window.ticketWindow !== undefined;
