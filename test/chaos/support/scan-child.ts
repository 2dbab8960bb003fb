// The subject of the kill tests: a whole core in its own process, as the app runs it. It scans
// the order ids in CHAOS_SCANS (a JSON array) one after another through the real route, and
// prints each answer as one JSON line the moment the route returns it. A printed line is an
// answer "shown to the staff"; anything the process did not print was never seen by anyone.
// After the scans it keeps running (the worker drains the queue) until it is killed.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createCore } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { plainCodec } from '../../../electron/core/secrets/store';

const dataDir = process.env.TICKET_WINDOW_DATA_DIR;
if (!dataDir) throw new Error('TICKET_WINDOW_DATA_DIR is required');
const scans = JSON.parse(process.env.CHAOS_SCANS ?? '[]') as string[];
const gapMs = Number(process.env.CHAOS_SCAN_GAP_MS ?? '0');

// writeSync: the line is in the pipe before the next scan starts, or it was never shown.
const say = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

const core = await createCore({ connectPlatform, dataDir, env: process.env, secretCodec: plainCodec, heartbeatMs: 100 });
// The worker's timers are unref'd (they must not hold the app open); the app's window does that.
// Here this does, or the process would leave as soon as the queue looked idle.
setInterval(() => undefined, 1 << 30);
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
// The parent plays the OS: "online" when the network comes back.
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'wake') void core.routes['queue.wake']({});
});
say({ ready: true, pid: process.pid });
// CHAOS_OFFLINE_COUNT=n: at a coupon's offline count step the staff type n, then Enter.
const offlineCount = Number(process.env.CHAOS_OFFLINE_COUNT ?? '0');
const show = (orderId: string, answer: Awaited<ReturnType<(typeof core.routes)['scan.submit']>>) =>
  say({
    shown: {
      orderId,
      scanId: answer.scanId,
      verdict: answer.verdict,
      reason: answer.reason,
      at: answer.at,
      repeated: answer.repeated ?? false,
    },
  });
for (const orderId of scans) {
  const answer = await core.routes['scan.submit']({ raw: orderId, source: 'scanner' });
  show(orderId, answer);
  if (offlineCount > 0 && answer.reason === 'coupon_offline_count' && answer.scanId !== null) {
    show(orderId, await core.routes['scan.confirmCoupon']({ scanId: answer.scanId, count: offlineCount }));
  }
  if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
}
say({ scanned: scans.length });
