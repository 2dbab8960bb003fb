import { performance } from 'node:perf_hooks';
import { createHubClient, type HubClient, type HubCredential } from '../electron/core/hub/client';
import type { HubChange } from '../shared/hub/protocol';
import { hubScan } from '../test/support/hub';

/**
 * A share of the hub bench's simulated windows, in a process of its own (forked by
 * hub-claims.bench.ts), so that the windows' own CPU — signing, HTTP, JSON — is neither the
 * hub's nor the bench's, and can be counted apart. Talks to its parent by IPC only.
 */

export const PER_SECOND = 10;
const HISTORY_EVERY_MS = 1_000;

export type ToWindows =
  | { type: 'init'; windows: { credential: HubCredential; index: number }[]; total: number }
  | { type: 'phase'; phase: string; hubUrls: string[]; seconds: number; startAtEpochMs: number }
  | { type: 'sync' }
  | { type: 'close' };

/** One phase's results, as plain data for IPC. */
export interface PhaseTally {
  latencies: number[];
  /** From the first claim due to the last claim answered: a hub that falls behind stretches it. */
  elapsedS: number;
  pushes: number;
  failures: number;
  lagMs: number[];
  /** [ticket key, global index of a window told it won it] */
  wins: [string, number][];
}

export type FromWindows =
  { type: 'ready' } | { type: 'tally'; tally: PhaseTally } | { type: 'synced'; ok: boolean; seqs: [string, number][] };

/** A simulated window: claims at its own steady rate, and sends its scans as history once a second. */
interface SimWindow {
  client: HubClient;
  credential: HubCredential;
  /** Position among all the bench's windows: spaces the claims and picks the contested neighbour. */
  index: number;
  /** Changes not yet acknowledged by the hub, oldest first, with when each scan was made. */
  unsent: { change: HubChange; atMs: number }[];
  seq: number;
}

let sims: SimWindow[] = [];
let total = 0;

const newTally = (): PhaseTally => ({ latencies: [], elapsedS: 0, pushes: 0, failures: 0, lagMs: [], wins: [] });

/** One phase: every window claims PER_SECOND times a second and pushes its history every second. */
async function drivePhase(message: Extract<ToWindows, { type: 'phase' }>): Promise<PhaseTally> {
  const { phase, hubUrls, seconds } = message;
  const tally = newTally();
  // performance.now() is per process; the epoch start lines every child's windows up.
  const started = message.startAtEpochMs - performance.timeOrigin;
  const clients = sims.map((sim) => {
    const url = hubUrls[sim.index % hubUrls.length]!;
    return url === sim.credential.url ? sim.client : createHubClient({ ...sim.credential, url }, { claimBudgetMs: 5_000 });
  });
  await Promise.all(
    sims.map(async (sim, i) => {
      const client = clients[i]!;
      const w = sim.index;
      const pushing = pushLoop(sim, client, tally, started + seconds * 1000);
      for (let n = 0; n < PER_SECOND * seconds; n++) {
        const due = started + (n * 1000) / PER_SECOND + (w * 1000) / PER_SECOND / total;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // Every tenth claim is the same ticket as the window beside it claims now.
        const key = n % 10 === 0 ? `order:${phase}-shared-${Math.floor(w / 2)}-${n}:*` : `order:${phase}-w${w}-${n}:*`;
        const t0 = performance.now();
        try {
          const answer = await client.claim({ key, scanId: `${phase}-${n}` });
          tally.latencies.push(performance.now() - t0);
          if (answer.won) tally.wins.push([key, w]);
        } catch {
          tally.failures++;
        }
        tally.elapsedS = Math.max(tally.elapsedS, (performance.now() - started) / 1000);
        sim.seq++;
        sim.unsent.push({ change: { seq: sim.seq, kind: 'scan', scan: hubScan(sim.seq, Date.now()) }, atMs: performance.now() });
      }
      await pushing;
    }),
  );
  await Promise.all(clients.filter((c, i) => c !== sims[i]!.client).map((c) => c.close()));
  return tally;
}

/** The sync's loop, in small: send what is unacknowledged, forget it only once the hub answered. */
async function pushLoop(sim: SimWindow, client: HubClient, tally: PhaseTally, untilMs: number): Promise<void> {
  while (performance.now() < untilMs + HISTORY_EVERY_MS) {
    await new Promise((r) => setTimeout(r, HISTORY_EVERY_MS));
    await pushOnce(sim, client, tally);
  }
}

async function pushOnce(sim: SimWindow, client: HubClient, tally: PhaseTally): Promise<boolean> {
  const batch = sim.unsent.slice(0, 500);
  if (batch.length === 0) return true;
  try {
    const { lastSeq } = await client.pushHistory({ throughSeq: batch.at(-1)!.change.seq, changes: batch.map((b) => b.change) });
    const now = performance.now();
    tally.pushes++;
    for (const b of sim.unsent.filter((u) => u.change.seq <= lastSeq)) tally.lagMs.push(now - b.atMs);
    sim.unsent = sim.unsent.filter((u) => u.change.seq > lastSeq);
    return true;
  } catch {
    return false;
  }
}

const send = (message: FromWindows) => process.send?.(message);

process.on('message', (message: ToWindows) => {
  void (async () => {
    if (message.type === 'init') {
      total = message.total;
      sims = message.windows.map(({ credential, index }) => ({
        client: createHubClient(credential, { claimBudgetMs: 5_000 }),
        credential,
        index,
        unsent: [],
        seq: 0,
      }));
      send({ type: 'ready' });
    } else if (message.type === 'phase') {
      send({ type: 'tally', tally: await drivePhase(message) });
    } else if (message.type === 'sync') {
      const tally = newTally();
      const ok = (await Promise.all(sims.map((s) => pushOnce(s, s.client, tally)))).every(Boolean);
      send({
        type: 'synced',
        ok: ok && sims.every((s) => s.unsent.length === 0),
        seqs: sims.map((s) => [s.credential.windowId, s.seq]),
      });
    } else {
      await Promise.all(sims.map((s) => s.client.close()));
      process.disconnect();
    }
  })();
});
