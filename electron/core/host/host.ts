import { fail, RouteError } from '../../../shared/ipc/result';
import type { Core, CoreOptions } from '../app';
import type { Desktop } from '../desktop';
import { dispatch } from '../dispatch';
import { loggerFor } from '../log';
import type { RemoteSecretCodec } from '../secrets/store';
import type { HostPort } from './port';
import { ToCore, type CodecRequest, type DesktopAction, type FromCore, type UpdateRequest } from './protocol';

const log = loggerFor('host');

type StartCore = (remote: Pick<CoreOptions, 'secretCodec' | 'desktop'>) => Promise<Core>;

/**
 * The core's side of its own process: answers main's calls with the same `Result` as `dispatch`
 * in-process, forwards the core's events and main's few settings, and reaches main's safeStorage
 * and OS actions by request. `close` stops the worker and closes the database before `closed`.
 */
export async function runHost(port: HostPort, startCore: StartCore, exit: (code: number) => void): Promise<void> {
  const send = (message: FromCore) => port.send(message);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const ask = (message: (id: number) => FromCore): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      send(message(id));
    });
  const codec = (request: CodecRequest) => ask((id) => ({ type: 'codec', id, request }));
  const secretCodec: RemoteSecretCodec = {
    name: 'safeStorage',
    encrypt: async (plain) => Buffer.from(String(await codec({ op: 'encrypt', data: plain })), 'base64'),
    decrypt: async (sealed) => String(await codec({ op: 'decrypt', data: sealed.toString('base64') })),
  };
  const act = (request: DesktopAction) => ask((id) => ({ type: 'desktop', id, request }));
  const desktop: Desktop = {
    savePdf: async (path) => {
      try {
        await act({ action: 'savePdf', path });
      } catch (error) {
        throw new RouteError('internal', `the PDF could not be saved: ${(error as Error).message}`);
      }
    },
    openPath: async (path) => (await act({ action: 'openPath', path })) === true,
    printSlip: async (html, printerName) => {
      await act({ action: 'printSlip', printerName, html });
    },
  };

  let core: Core | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await core?.close();
      send({ type: 'closed' });
      exit(0);
    })());

  port.onMessage((raw) => {
    const parsed = ToCore.safeParse(raw);
    if (!parsed.success) {
      log.warn(`refused a message from main: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'answer') {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.value);
    } else if (message.type === 'close') {
      void close();
    } else if (message.type === 'update') {
      void answerUpdate(message.id, message.request);
    } else {
      void answer(message.id, message.channel, message.input);
    }
  });

  async function answer(id: number, channel: string, input: unknown): Promise<void> {
    if (!core || closing) {
      send({ type: 'result', id, result: fail('recovering', 'the core is starting or closing') });
      return;
    }
    let result = await dispatch(core.routes, channel, input);
    try {
      // A secret saved by this call is on disk before anyone is told it was saved.
      await core.secretsWritten();
    } catch {
      result = fail('storage_failed', 'a secret could not be written');
    }
    send({ type: 'result', id, result });
  }

  async function answerUpdate(id: number, request: UpdateRequest): Promise<void> {
    if (!core || closing) {
      send({ type: 'result', id, result: fail('recovering', 'the core is starting or closing') });
      return;
    }
    try {
      if (request.op === 'facts') {
        send({ type: 'result', id, result: { ok: true, value: core.updates.facts() } });
      } else {
        await core.updates.report(request.report);
        send({ type: 'result', id, result: { ok: true, value: { sent: true } } });
      }
    } catch (error) {
      send({ type: 'result', id, result: fail('not_available', error instanceof Error ? error.message : String(error)) });
    }
  }

  try {
    core = await startCore({ secretCodec, desktop });
  } catch (error) {
    log.error('the core cannot start', error);
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    exit(1);
    return;
  }
  const started = core;
  started.events.subscribe((event, payload) => send({ type: 'event', event, payload }));
  started.desktopSettings.subscribe((settings) => send({ type: 'settings', settings }));
  send({ type: 'ready', settings: started.desktopSettings.get() });
}
