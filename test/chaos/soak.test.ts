import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/core/app';
import { startSandbox } from '../../electron/sandbox';
import { sandboxEnv, until } from '../support/core-harness';
import { tempDir } from '../support/temp';
import { startChild, type ChildHandle } from './support/child';
import { chaosOrders, FULL, prng, report, SEED } from './support/config';
import { history, outboxStateCounts, withReadOnly } from './support/db';
import { auditLedger, type Shown } from './support/ledger-check';

/** Full: 8 hours of one scan per second. CI: 40 minutes of it. */
const SIM_SECONDS = FULL ? 8 * 3600 : 40 * 60;
const PREFIX = '87';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Sample {
  done: number;
  rss: number;
  heap: number;
  dbBytes: number;
  gc: boolean;
}

describe('soak', () => {
  it(`${SIM_SECONDS / 60} simulated minutes at one scan a second with outages: memory and database stay flat, the ledger matches`, async () => {
    const random = prng(SEED ^ 0x50a4);
    const sandbox = await startSandbox({ orders: chaosOrders(SIM_SECONDS, PREFIX) });
    cleanup.push(() => sandbox.close());
    const dir = tempDir('tw-chaos-soak-');
    cleanup.push(() => dir.remove());
    const started = Date.now();
    const child: ChildHandle = startChild(
      'test/chaos/support/soak-child.ts',
      {
        ...sandboxEnv(sandbox),
        TICKET_WINDOW_DATA_DIR: dir.path,
        CHAOS_SOAK_SCANS: String(SIM_SECONDS),
        CHAOS_SOAK_PREFIX: PREFIX,
        CHAOS_SEED: String(SEED),
      },
      ['--expose-gc'],
    );
    cleanup.push(() => child.kill());
    await child.waitFor((l) => l.ready === true, 30_000);

    // Outages in simulated time: ~1 every simulated hour, 1 to 20 simulated minutes long. When
    // one ends, the OS usually (not always) tells the app the network is back.
    const shownCount = () => child.lines.filter((l) => typeof l === 'object' && l !== null && 's' in l).length;
    let outages = 0;
    let outageScans = 0;
    const done = child.waitFor((l) => l.scanned !== undefined, 30 * 60_000);
    let finished = false;
    void done.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) {
      const meanGap = SIM_SECONDS / (FULL ? 8 : 4);
      const gap = Math.floor(meanGap * (0.4 + random()));
      const startAt = shownCount() + gap;
      while (!finished && shownCount() < startAt) await new Promise((r) => setTimeout(r, 20));
      if (finished) break;
      const length = Math.floor(60 + random() * Math.min(1140, meanGap / 2));
      outages += 1;
      sandbox.setOffline(true);
      const endAt = shownCount() + length;
      while (!finished && shownCount() < endAt) await new Promise((r) => setTimeout(r, 20));
      outageScans += Math.min(length, shownCount() - (endAt - length));
      sandbox.setOffline(false);
      if (random() < 0.7) child.wake?.();
    }
    await done;
    sandbox.setOffline(false);
    await until(
      () =>
        withReadOnly(dir.path, (db) => {
          const s = outboxStateCounts(db);
          return (s.queued ?? 0) + (s.sending ?? 0) === 0;
        }),
      120_000,
      'the soak queue to drain',
    ).catch((error: Error) => {
      const stuck = withReadOnly(dir.path, (db) => ({
        states: outboxStateCounts(db),
        rows: db
          .prepare(
            `SELECT o.id, o.state, o.tries, o.next_attempt_at, o.updated_at, o.last_reason,
                    (SELECT COUNT(*) FROM attempts a WHERE a.outbox_id = o.id) AS attempts
                    FROM outbox o WHERE o.state IN ('queued','sending') ORDER BY o.id LIMIT 4`,
          )
          .all(),
      }));
      throw new Error(`${error.message} (real now ${Date.now()}): ${JSON.stringify(stuck)}`);
    });
    await child.kill('SIGTERM');
    const elapsed = (Date.now() - started) / 1000;

    const shown: Shown[] = child.lines
      .filter(
        (l): l is { s: [string, number | null, string, string, number, number] } =>
          typeof l === 'object' && l !== null && 's' in l,
      )
      .map(({ s: [orderId, scanId, verdict, reason, at, repeated] }) => ({
        orderId,
        scanId,
        verdict,
        reason,
        at,
        repeated: repeated === 1,
      }));
    const samples = child.lines
      .filter((l): l is { sample: Sample } => typeof l === 'object' && l !== null && 'sample' in l)
      .map((l) => l.sample);
    const rows = withReadOnly(dir.path, history);
    const states = withReadOnly(dir.path, outboxStateCounts);
    const audit = auditLedger(shown, rows, sandbox.ledger());

    // Memory after warm-up (10 % in): what the day adds, not what start-up costs.
    const warm = samples[2]!;
    const last = samples.at(-1)!;
    const mb = (b: number) => b / 1024 / 1024;
    const rssGrowth = mb(last.rss - warm.rss);
    const heapGrowth = mb(last.heap - warm.heap);
    // Database: bytes a scan adds, early against late (history is kept, so the size grows;
    // what must stay flat is the cost per scan).
    const quarter = (a: Sample, b: Sample) => (b.dbBytes - a.dbBytes) / Math.max(1, b.done - a.done);
    const early = quarter(samples[1]!, samples[6]!);
    const late = quarter(samples.at(-6)!, last);
    const fileBytes = statSync(join(dir.path, DATABASE_FILE)).size;
    report('chaos: soak', {
      soak_simulated_hours: SIM_SECONDS / 3600,
      soak_scans: shown.length,
      soak_wall_seconds: Math.round(elapsed),
      soak_outages: outages,
      soak_outage_scans: outageScans,
      soak_shown_verified: shown.filter((s) => s.verdict === 'verified').length,
      soak_shown_offline: shown.filter((s) => s.verdict === 'offline').length,
      soak_shown_refused: shown.filter((s) => s.verdict === 'refused').length,
      soak_rss_start_mb: Math.round(mb(warm.rss) * 10) / 10,
      soak_rss_growth_mb: Math.round(rssGrowth * 10) / 10,
      soak_heap_growth_mb: Math.round(heapGrowth * 10) / 10,
      soak_gc_exposed: warm.gc,
      soak_db_bytes_per_scan: Math.round(last.dbBytes / shown.length),
      soak_db_bytes_per_scan_early: Math.round(early),
      soak_db_bytes_per_scan_late: Math.round(late),
      soak_db_file_mb: Math.round(mb(fileBytes) * 10) / 10,
      soak_ledger_entries: sandbox.ledger().length,
      soak_lost: audit.lost,
      soak_duplicated: audit.duplicated,
    });
    expect(shown).toHaveLength(SIM_SECONDS);
    expect(audit.problems).toEqual([]);
    expect(states).toEqual({ verified: sandbox.ledger().length });
    expect(rssGrowth, 'RSS keeps growing').toBeLessThan(FULL ? 64 : 40);
    expect(heapGrowth, 'the JS heap keeps growing').toBeLessThan(FULL ? 24 : 16);
    expect(late, 'a scan costs more database space late in the day than early').toBeLessThan(early * 1.5 + 512);
  });
});
