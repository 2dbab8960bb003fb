import type { EventName, EventPayload } from '../../shared/ipc/contract';

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Events from the core to whichever transports are attached (Electron windows, web clients). */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
