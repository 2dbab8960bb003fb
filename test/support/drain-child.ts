// A process that runs the core's worker against a sandbox until it is killed: the subject of the
// SIGKILL tests. It prints "ready" once the core is up so the parent can time its kill.
import { createCore } from '../../electron/core/app';
import { connectPlatform } from '../../electron/platform/connect';
import { plainCodec } from '../../electron/core/secrets/store';

const dataDir = process.env.TICKET_WINDOW_DATA_DIR;
if (!dataDir) throw new Error('TICKET_WINDOW_DATA_DIR is required');
const core = await createCore({ connectPlatform, dataDir, env: process.env, secretCodec: plainCodec, heartbeatMs: 100 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
