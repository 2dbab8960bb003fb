/**
 * The core's end of the pipe to main, whichever way the process was started: Electron's
 * utilityProcess gives the child `process.parentPort` (messages arrive as `{ data }`), Node's
 * `child_process.fork` gives it `process.send` and `'message'`. The host sees only this.
 */
export interface HostPort {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function portOfThisProcess(): HostPort {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('the core host must be started by main (utilityProcess) or child_process.fork');
  return {
    send: (message) => void send(message),
    onMessage: (listener) => process.on('message', listener),
  };
}
