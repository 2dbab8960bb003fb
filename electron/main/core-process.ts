import { fail, type Result } from '../../shared/ipc/result';
import type { EventName } from '../../shared/ipc/contract';
import { FromCore, type DesktopAction, type DesktopSettings, type ToCore, type UpdateRequest } from '../core/host/protocol';
import type { ModuleLogger } from '../core/log';
import type { SecretCodec } from '../core/secrets/store';
import { CrashLoopGuard } from './recovery';

/** The core's process as main sees it: utilityProcess in the app, child_process.fork in tests. */
export interface CoreChild {
  send(message: ToCore): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type CoreState = 'recovering' | 'ready' | 'failed';

export interface CoreProcessOptions {
  spawn: () => CoreChild;
  codec: SecretCodec;
  /** The OS actions the core asks for (save a PDF, open a folder); true when done. */
  desktop: (request: DesktopAction) => Promise<boolean>;
  log: ModuleLogger;
  onEvent: (event: EventName, payload: unknown) => void;
  onSettings: (settings: DesktopSettings) => void;
  onState: (state: CoreState) => void;
  /** Restarts allowed within a time window before the crash loop is declared (default 3 a minute). */
  guard?: CrashLoopGuard;
  /** How long quitting waits for the worker to stop and the database to close. */
  closeTimeoutMs?: number;
}

export interface CoreProcess {
  /** Resolves with main's settings once the first core is ready; rejects if it cannot start. */
  readonly started: Promise<DesktopSettings>;
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Main's own question for its updater (not a renderer channel); answered like a call. */
  update(request: UpdateRequest): Promise<Result<unknown>>;
  /** Asks the core to close and waits for it (bounded), then the process is gone. */
  close(): Promise<void>;
}

const recovering = () => fail('recovering', 'the core is restarting');

/**
 * Main's half of the core's process: relays calls (the sender check stays in main's IPC), answers
 * `recovering` instead of hanging while a crashed core restarts, restarts it under a crash-loop
 * guard, and serves the core's requests for safeStorage and OS actions.
 */
export function startCoreProcess(options: CoreProcessOptions): CoreProcess {
  const guard = options.guard ?? new CrashLoopGuard();
  const calls = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 0;
  let child: CoreChild | undefined;
  let ready = false;
  let failed = false;
  let closing: Promise<void> | undefined;
  let everReady = false;
  let settle: { resolve: (s: DesktopSettings) => void; reject: (e: Error) => void } | undefined;
  const started = new Promise<DesktopSettings>((resolve, reject) => (settle = { resolve, reject }));
  let closed: (() => void) | undefined;

  const spawn = () => {
    const current = options.spawn();
    child = current;
    current.onMessage((raw) => child === current && receive(current, raw));
    current.onExit((code) => child === current && exited(code));
  };

  function receive(current: CoreChild, raw: unknown): void {
    const parsed = FromCore.safeParse(raw);
    if (!parsed.success) {
      options.log.warn(`refused a message from the core: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        ready = true;
        options.onSettings(message.settings);
        if (everReady) {
          options.log.info('the core is back');
          options.onState('ready');
        }
        everReady = true;
        settle?.resolve(message.settings);
        return;
      case 'result':
        calls.get(message.id)?.(message.result as Result<unknown>);
        calls.delete(message.id);
        return;
      case 'event':
        options.onEvent(message.event as EventName, message.payload);
        return;
      case 'settings':
        options.onSettings(message.settings);
        return;
      case 'codec': {
        const { op, data } = message.request;
        answer(current, message.id, () =>
          op === 'encrypt' ? options.codec.encrypt(data).toString('base64') : options.codec.decrypt(Buffer.from(data, 'base64')),
        );
        return;
      }
      case 'desktop':
        answer(current, message.id, () => options.desktop(message.request));
        return;
      case 'failed':
        options.log.error(`the core cannot start: ${message.message}`);
        if (!everReady) settle?.reject(new Error(message.message));
        return;
      case 'closed':
        closed?.();
        return;
    }
  }

  function answer(current: CoreChild, id: number, work: () => unknown): void {
    Promise.resolve()
      .then(work)
      .then(
        (value) => current.send({ type: 'answer', id, value }),
        (error: unknown) => current.send({ type: 'answer', id, error: error instanceof Error ? error.message : String(error) }),
      );
  }

  function exited(code: number | null): void {
    ready = false;
    child = undefined;
    // Whatever was in flight may or may not have happened: the window reads its state again.
    for (const reply of calls.values()) reply(recovering());
    calls.clear();
    if (closing) {
      closed?.();
      return;
    }
    if (!everReady) {
      settle?.reject(new Error(`the core process exited (${code}) before it was ready`));
      failed = true;
      return;
    }
    options.log.error(`the core process exited unexpectedly (code ${code})`);
    if (!guard.tryReload()) {
      failed = true;
      options.log.error('the core keeps crashing: no more restarts');
      options.onState('failed');
      return;
    }
    options.log.warn('restarting the core');
    options.onState('recovering');
    spawn();
  }

  function request(message: (id: number) => ToCore): Promise<Result<unknown>> {
    if (failed) return Promise.resolve(fail('internal', 'the core has stopped after repeated crashes'));
    if (!ready || closing || !child) return Promise.resolve(recovering());
    const id = nextId++;
    const current = child;
    return new Promise((resolve) => {
      calls.set(id, resolve);
      current.send(message(id));
    });
  }

  spawn();
  return {
    started,
    call: (channel, input) => request((id) => ({ type: 'call', id, channel, input })),
    update: (update) => request((id) => ({ type: 'update', id, request: update })),
    close() {
      closing ??= new Promise<void>((resolve) => {
        const current = child;
        if (!current) return resolve();
        const timer = setTimeout(() => {
          options.log.error('the core did not close in time: stopping it');
          current.kill();
          resolve();
        }, options.closeTimeoutMs ?? 10_000);
        closed = () => {
          clearTimeout(timer);
          resolve();
        };
        current.send({ type: 'close' });
      });
      return closing;
    },
  };
}
