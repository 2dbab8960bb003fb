import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_PREFIX, IPC_INVOKE, type TicketWindowApi } from '../../shared/ipc/api';
import { isEventName } from '../../shared/ipc/contract';

/**
 * The renderer's whole reach into main: invoke a contract channel, or listen to a contract
 * event. No raw ipcRenderer, and the Electron event object never reaches the page.
 */
const api = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  on: (event, listener) => {
    if (!isEventName(event)) throw new Error(`unknown event: ${String(event)}`);
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(`${IPC_EVENT_PREFIX}${event}`, handler);
    return () => {
      ipcRenderer.removeListener(`${IPC_EVENT_PREFIX}${event}`, handler);
    };
  },
} satisfies TicketWindowApi;

contextBridge.exposeInMainWorld('ticketWindow', api);
