import { createCore } from '../core/app';
import { runHost } from '../core/host/host';
import { portOfThisProcess } from '../core/host/port';
import { connectPlatform } from '../platform/connect';

// The core's own process: started by Electron's main with utilityProcess.fork, or by the tests
// with child_process.fork (the same messages). Main resolves the data folder and passes it here.
const dataDir = process.env.TICKET_WINDOW_DATA_DIR;
if (!dataDir) throw new Error('TICKET_WINDOW_DATA_DIR is required: the core process is started by main');
const heartbeatMs = Number(process.env.TICKET_WINDOW_HEARTBEAT_MS ?? '0');

// The worker's timers are unref'd so they never hold a process open; this process lives until
// main closes it (or it is killed), so it keeps itself alive.
const alive = setInterval(() => undefined, 1 << 30);

void runHost(
  portOfThisProcess(),
  (remote) => createCore({ connectPlatform, dataDir, env: process.env, ...remote, ...(heartbeatMs > 0 ? { heartbeatMs } : {}) }),
  (code) => {
    clearInterval(alive);
    process.exit(code);
  },
);
