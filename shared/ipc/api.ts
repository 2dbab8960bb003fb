import type { Channel, EventName, EventPayload, Input, Output } from './contract';
import type { Result } from './result';

/**
 * The only surface the renderer gets, whatever the transport: Electron's preload exposes it as
 * `window.ticketWindow`; in web mode renderer/api.ts implements it over HTTP.
 */
export interface TicketWindowApi {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The single IPC channel names used under the hood; one for calls, one prefix for events. */
export const IPC_INVOKE = 'tw:invoke';
export const IPC_EVENT_PREFIX = 'tw:event:';
