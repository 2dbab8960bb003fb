// The soak's subject: one core in its own process (so its memory is the app's alone), fed one
// scan per simulated second at one gate. The simulated clock moves 1 s per scan, plus the real
// time that passes, so the worker's schedules (in the core's clock) keep coming due.
// Prints each answer and, every so often, a sample of its memory and database size.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createCoreWithParts } from '../../../electron/core/app';
import { connectPlatform } from '../../../electron/platform/connect';
import { plainCodec } from '../../../electron/core/secrets/store';

const dataDir = process.env.TICKET_WINDOW_DATA_DIR!;
const scans = Number(process.env.CHAOS_SOAK_SCANS);
const prefix = process.env.CHAOS_SOAK_PREFIX!;
const samples = 20;
const say = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

const realStart = Date.now();
let simulated = 0;
let realAtLastScan = realStart;
const now = () => realStart + simulated + (Date.now() - realAtLastScan);

const core = await createCoreWithParts({
  connectPlatform,
  dataDir,
  env: process.env,
  secretCodec: plainCodec,
  now,
  heartbeatMs: 1000,
});
// Compressed time sends far faster than a real gate; the verify rate is raised to match so the
// scan path's priority sends do not push the queue's own sends minutes back (see the limiter).
const pace = Number(process.env.CHAOS_SOAK_PACE ?? '120');
core.settings.update({ duplicateWindowSeconds: 10, answerBudgetMs: 1500, verifyRatePerSecond: 200 });
// The worker's timers are unref'd (they must not hold the app open); the app's window does that.
// Here this does, or the process would leave as soon as the queue looked idle.
setInterval(() => undefined, 1 << 30);
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
// The parent plays the OS: "online" when the network comes back.
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'wake') void core.routes['queue.wake']({});
});

const sample = (done: number) => {
  globalThis.gc?.();
  const pageCount = core.db.pragma('page_count', { simple: true }) as number;
  const pageSize = core.db.pragma('page_size', { simple: true }) as number;
  const memory = process.memoryUsage();
  say({
    sample: {
      done,
      rss: memory.rss,
      heap: memory.heapUsed,
      dbBytes: pageCount * pageSize,
      gc: typeof globalThis.gc === 'function',
    },
  });
};

say({ ready: true });
let seed = Number(process.env.CHAOS_SEED ?? 1) >>> 0;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
sample(0);
for (let i = 0; i < scans; i += 1) {
  const roll = random();
  // Mostly fresh tickets; some shown twice (a visitor back at the gate); a few unknown codes.
  const raw =
    roll < 0.02 && i > 20
      ? `${prefix}${String(i - 1 - Math.floor(random() * 20)).padStart(19 - prefix.length, '0')}`
      : roll < 0.03
        ? `UNKNOWN${String(i).padStart(6, '0')}`
        : `${prefix}${String(i).padStart(19 - prefix.length, '0')}`;
  const a = await core.routes['scan.submit']({ raw, source: 'scanner' });
  say({ s: [raw, a.scanId, a.verdict, a.reason, a.at, a.repeated ? 1 : 0] });
  simulated += 1000;
  realAtLastScan = Date.now();
  // At most `pace` simulated seconds per real second.
  const ahead = realStart + ((i + 1) / pace) * 1000 - Date.now();
  if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
  if ((i + 1) % Math.max(1, Math.floor(scans / samples)) === 0) sample(i + 1);
}
say({ scanned: scans });
