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
  /** Claims still due when the phase's time was up (a hub behind the offered rate): not sent, so the run stays bounded. */
  notOffered: number;
  pushes: number;
  failures: number;
  lagMs: number[];
  /** [ticket key, global index of a window told it won it] */
  wins: [string, number][];
}

export type FromWindows =
  { type: 'ready' } | { type: 'tally'; tally: PhaseTally } | { type: 'synced'; ok: boolean; seqs: [string, number][] };

/** A simulated window: claims at its own steady rate, and sends its scans as history a second’s worth at a time. */
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

const newTally = (): PhaseTally => ({ latencies: [], elapsedS: 0, notOffered: 0, pushes: 0, failures: 0, lagMs: [], wins: [] });

/** One phase: every window claims PER_SECOND times a second until the phase’s time is up, and pushes its history. */
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
      let pushing: Promise<unknown> = Promise.resolve();
      for (let n = 0; n < PER_SECOND * seconds; n++) {
        if (performance.now() > started + seconds * 1000) {
          tally.notOffered += PER_SECOND * seconds - n;
          break;
        }
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
        // A batch per PER_SECOND scans (once a second at the offered rate), one in flight at a time: a hub
        // that falls behind gets the offered mix of claims and batches, not a batch per claim.
        if ((n + 1) % PER_SECOND === 0) pushing = pushing.then(() => pushOnce(sim, client, tally));
      }
      // What is left, as the window's next sync would send it.
      await pushing.then(() => pushOnce(sim, client, tally));
    }),
  );
  await Promise.all(clients.filter((c, i) => c !== sims[i]!.client).map((c) => c.close()));
  return tally;
}

/** The sync's push, in small: send what is unacknowledged, forget it only once the hub answered. */
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
