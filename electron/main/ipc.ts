import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { IPC_INVOKE } from '../../shared/ipc/api';
import { fail, type Result } from '../../shared/ipc/result';
import { loggerFor } from '../core/log';
import { isAppUrl } from './origin';

const log = loggerFor('ipc');

/** Only our own page's main frame may call main; never a subframe, never another origin. */
export function isTrustedSender(frame: WebFrameMain | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

/** Reaches the core's dispatch (schema parse, auth, route, Result), in the core's own process. */
export type CallCore = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** The one IPC handler: the sender check stays in main, then the call goes to the core. */
export function registerIpc(ipcMain: IpcMain, callCore: CallCore): void {
  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event.senderFrame)) {
      // Our page never does this: a refused sender is an attack or a bug, and support must see it.
      log.warn(
        `refused a call to ${typeof channel === 'string' ? channel.slice(0, 80) : typeof channel} from ${event.senderFrame?.url.slice(0, 200) ?? 'no frame'}`,
      );
      return Promise.resolve(fail('forbidden', 'untrusted sender'));
    }
    if (typeof channel !== 'string') return Promise.resolve(fail('unknown_channel', 'channel must be a string'));
    return callCore(channel, input);
  });
}
