import type { z } from 'zod';
import { LocalServiceConfig } from '../../../../../shared/domain/devices';
import { loggerFor } from '../../../log';
import { CardPresence } from '../card-presence';
import type { IdNumberSink, IdReader, StatusListener } from '../reader';
import { StatusBook } from '../status-book';
import { interpretAnswer } from './answer';

const log = loggerFor('id-reader/local-service');

export interface ServiceReaderDeps {
  onIdNumber: IdNumberSink;
  onStatus?: StatusListener;
  now?: () => number;
}

/** A service that hangs must not stall the polling: it counts as unreachable. */
const REQUEST_TIMEOUT_MS = 2000;

/**
 * A reader behind the vendor's local service on 127.0.0.1: polled over HTTP, or listened to
 * over WebSocket where the service pushes its answers. Either way each answer says whether a
 * card lies there; a card is passed on once per placement.
 */
export function createServiceReader(input: z.input<typeof LocalServiceConfig>, deps: ServiceReaderDeps): IdReader {
  const config = LocalServiceConfig.parse(input);
  const book = new StatusBook('local_service', deps.onStatus, deps.now);
  const presence = new CardPresence();
  const pushed = new URL(config.url).protocol === 'ws:';
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let socket: WebSocket | null = null;
  let inFlight: AbortController | null = null;

  const unreachable = (why: string) => {
    // The card is not forgotten: a service that restarts would otherwise read it a second time.
    book.fail('service_unreachable', why, { connected: false, cardPresent: null });
  };

  const handle = (body: string) => {
    const answer = interpretAnswer(body, config.idField);
    switch (answer.kind) {
      case 'bad_answer':
        book.fail('service_bad_answer', answer.detail, { connected: true });
        return;
      case 'no_card': {
        presence.lifted();
        const serviceError = ['service_unreachable', 'service_bad_answer'].includes(book.get().lastError?.problem ?? '');
        book.update({ connected: true, cardPresent: false, ...(serviceError ? { lastError: null } : {}) });
        return;
      }
      case 'misread':
        book.fail('misread', `the field ${config.idField} holds no valid ID number`, { connected: true, cardPresent: true });
        return;
      case 'card':
        if (!presence.seen(answer.idNumber)) {
          book.update({ connected: true, cardPresent: true });
          return;
        }
        book.read();
        deps.onIdNumber(answer.idNumber);
    }
  };

  const pollOnce = async () => {
    inFlight = new AbortController();
    const timeout = setTimeout(() => inFlight?.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(config.url, { signal: inFlight.signal, redirect: 'error' });
      const body = await response.text();
      if (!response.ok) book.fail('service_bad_answer', `HTTP ${response.status}`, { connected: true });
      else handle(body);
    } catch (error) {
      if (!stopped)
        unreachable(error instanceof Error && error.name === 'AbortError' ? 'no answer in 2 s' : 'connection refused');
    } finally {
      clearTimeout(timeout);
      inFlight = null;
    }
  };

  const schedulePoll = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pollOnce().then(() => schedulePoll(config.pollIntervalMs));
    }, delayMs);
    timer.unref();
  };

  const listen = () => {
    if (stopped) return;
    const ws = new WebSocket(config.url);
    socket = ws;
    ws.onopen = () => book.update({ connected: true, lastError: null });
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') handle(event.data);
      else book.fail('service_bad_answer', 'a binary message', { connected: true });
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      unreachable('the WebSocket closed');
      log.warn('ID reader service: the WebSocket closed; connecting again');
      timer = setTimeout(listen, config.pollIntervalMs);
      timer.unref();
    };
  };

  return {
    kind: 'local_service',
    start() {
      if (!stopped) return;
      stopped = false;
      if (pushed) listen();
      else schedulePoll(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      const ws = socket;
      socket = null;
      ws?.close();
      await running;
    },
    status: () => book.get(),
  };
}
