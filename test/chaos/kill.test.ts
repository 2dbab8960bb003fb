import { afterEach, describe, expect, it } from 'vitest';
import { createCoreWithParts } from '../../electron/core/app';
import { connectPlatform } from '../../electron/platform/connect';
import { plainCodec } from '../../electron/core/secrets/store';
import { startSandbox, type Sandbox } from '../../electron/sandbox';
import { presetDataDir, sandboxEnv, until } from '../support/core-harness';
import { tempDir } from '../support/temp';
import { startChild, type ChildHandle } from './support/child';
import { chaosCoupons, chaosOrders, FULL, mixIn, pick, prng, report, SEED, sleep } from './support/config';
import { history, outboxStateCounts, withReadOnly } from './support/db';
import { auditCoupons, auditLedger, auditOfflineCoupons, type OfflineCouponItem, type Shown } from './support/ledger-check';

const ROUNDS = FULL ? 60 : 12;
const OFFLINE_COUPON_ROUNDS = FULL ? 24 : 6;
const SCAN_CHILD = 'test/chaos/support/scan-child.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('kill -9', () => {
  it(`loses and duplicates nothing shown to the staff when the core's process is SIGKILLed ${ROUNDS} times during scans and drains`, async () => {
    const random = prng(SEED ^ 0x5eed);
    // Douyin-code coupons among the trip tickets, one scan in four: prepare, then verify.
    const { book, coupons } = chaosCoupons(ROUNDS * 4, '81');
    const orders = mixIn(
      chaosOrders(ROUNDS * 14, '81').map((o) => o.order_id),
      coupons,
      4,
    );
    const isCoupon = new Set(coupons.map((c) => c.code));
    const sandbox: Sandbox = await startSandbox({ orders: chaosOrders(ROUNDS * 14, '81'), coupons: book });
    cleanup.push(() => sandbox.close());
    const dir = tempDir('tw-chaos-kill-');
    cleanup.push(() => dir.remove());
    const env = { ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dir.path };

    // Settings as a busy gate would have them: a short answer budget so "accepted offline" happens.
    const setup = await createCoreWithParts({
      connectPlatform,
      dataDir: dir.path,
      env: sandboxEnv(sandbox),
      secretCodec: plainCodec,
    });
    setup.settings.update({ answerBudgetMs: 800, verifyRatePerSecond: 40, poiId: '7000000000000000001' });
    await setup.close();

    const shown: Shown[] = [];
    let next = 0;
    let killedMidScan = 0;
    let killedMidDrain = 0;
    let killedMidRequest = 0;
    let exitedEarly = 0;
    let live: ChildHandle | undefined;
    cleanup.push(async () => live?.kill());

    for (let round = 0; round < ROUNDS; round += 1) {
      sandbox.clearFaults();
      // Seven rounds in ten kill during scans, the rest during a drain: a fixed share, so that
      // every seed's storm has enough answers shown to be worth auditing.
      const duringScans = round % 10 < 7;
      const batch = duringScans ? orders.slice(next, (next += 4 + Math.floor(random() * 10))) : [];
      // Slow answers widen the window between "Douyin verified" and "the window recorded it".
      sandbox.setLatency(Math.floor(random() * 120), Math.floor(random() * 200));
      if (random() < 0.25)
        sandbox.injectFault({ kind: 'drop_before_answer', afterProcessing: true }, 1 + Math.floor(random() * 3));
      if (random() < 0.2) sandbox.injectFault(pick(random, [{ kind: 'drop_mid_body' }, { kind: 'truncated_json' }] as const), 2);
      // A coupon verify Douyin does while the window dies waiting for the answer, or whose answer
      // is cut short. Not a reset before any answer: that counts as "never reached Douyin", so a
      // retry's 1208 is a conflict for a supervisor by design (MAY_HAVE_REACHED_SQL), not a loss.
      if (random() < 0.3)
        sandbox.coupons.injectFault(
          'verify',
          pick(random, [
            { kind: 'hold', ms: 300 + Math.floor(random() * 900), afterProcessing: true },
            { kind: 'hold', ms: 300 + Math.floor(random() * 900), afterProcessing: false },
            { kind: 'truncated_json' },
          ] as const),
          1 + Math.floor(random() * 2),
        );
      const offlineRound = random() < 0.25;
      sandbox.setOffline(offlineRound);

      const before = sandbox.counts().verifyRequests;
      live = startChild(SCAN_CHILD, {
        ...env,
        CHAOS_SCANS: JSON.stringify(batch),
        CHAOS_SCAN_GAP_MS: String(Math.floor(random() * 40)),
      });
      await live.waitFor((l) => l.ready === true, 30_000);
      const backOnline = offlineRound && random() < 0.5;
      if (duringScans) {
        // The kill is placed by the scans' progress, not by the clock: on a loaded machine a
        // clock-placed kill landed before most answers and the storm tested little. After 2 or
        // more answers (never the whole batch), somewhere inside the next scan or its request.
        const answersBeforeKill = 2 + Math.floor(random() * (batch.length - 2));
        const child = live;
        const printedSoFar = () => answersShown(child).length;
        if (backOnline) {
          await until(() => printedSoFar() >= answersBeforeKill / 2, 30_000, 'answers before the network returns');
          sandbox.setOffline(false);
        }
        await until(() => printedSoFar() >= answersBeforeKill, 30_000, `${answersBeforeKill} answers before the kill`);
        await sleep(Math.floor(random() * 150));
      } else {
        const killAfter = Math.floor(random() * 900);
        if (backOnline) {
          await sleep(killAfter / 2);
          sandbox.setOffline(false);
          await sleep(killAfter / 2);
        } else {
          await sleep(killAfter);
        }
      }
      if (!live.running()) exitedEarly += 1;
      await live.kill('SIGKILL');
      const printed = answersShown(live);
      shown.push(...printed);
      if (printed.length < batch.length) killedMidScan += 1;
      const pending = withReadOnly(dir.path, (db) => {
        const s = outboxStateCounts(db);
        return (s.queued ?? 0) + (s.sending ?? 0);
      });
      if (!duringScans && pending > 0) killedMidDrain += 1;
      if (sandbox.counts().verifyRequests > before && pending > 0) killedMidRequest += 1;
    }

    // One last start, on a healthy network, drains what every killed process left.
    sandbox.clearFaults();
    live = startChild(SCAN_CHILD, { ...env, CHAOS_SCANS: '[]' });
    await live.waitFor((l) => l.ready === true, 30_000);
    await until(
      () =>
        withReadOnly(dir.path, (db) => {
          const s = outboxStateCounts(db);
          return (s.queued ?? 0) + (s.sending ?? 0) === 0;
        }),
      90_000,
      'the final drain',
    ).catch((error: Error) => {
      const stuck = withReadOnly(dir.path, (db) => ({
        states: outboxStateCounts(db),
        rows: db
          .prepare(
            `SELECT o.id, o.order_id, o.state, o.tries, o.next_attempt_at - ? AS due_in, o.last_reason,
                    (SELECT json_group_array(a.outcome) FROM attempts a WHERE a.outbox_id = o.id) AS attempts
                    FROM outbox o WHERE o.state IN ('queued','sending') ORDER BY o.id LIMIT 4`,
          )
          .all(Date.now()),
      }));
      throw new Error(
        `${error.message}: ${JSON.stringify(stuck)}; ledger ${sandbox.ledger().length}; child running ${live?.running()}; stderr ${live?.stderr()}`,
      );
    });
    await live.kill('SIGTERM');

    const rows = withReadOnly(dir.path, history);
    const audit = auditLedger(
      shown.filter((s) => !isCoupon.has(s.orderId)),
      rows,
      sandbox.ledger(),
    );
    const couponAudit = auditCoupons(shown, rows, sandbox.coupons.ledger(), coupons);
    const couponsShown = shown.filter((s) => isCoupon.has(s.orderId));
    const states = withReadOnly(dir.path, outboxStateCounts);
    report('chaos: kill -9', {
      chaos_rounds: ROUNDS,
      chaos_shown: shown.length,
      chaos_shown_offline: shown.filter((s) => s.verdict === 'offline').length,
      chaos_killed_mid_scan: killedMidScan,
      chaos_killed_mid_drain: killedMidDrain,
      chaos_killed_with_requests_out: killedMidRequest,
      chaos_ledger_entries: sandbox.ledger().length,
      chaos_lost: audit.lost,
      chaos_duplicated: audit.duplicated,
      chaos_coupons_shown: couponsShown.length,
      chaos_coupons_shown_checking: couponsShown.filter((s) => s.reason === 'coupon_checking').length,
      chaos_coupon_ledger_entries: sandbox.coupons.ledger().length,
      chaos_coupons_lost: couponAudit.lost,
      chaos_coupons_duplicated: couponAudit.duplicated,
    });
    expect(audit.problems).toEqual([]);
    expect(audit.lost).toBe(0);
    expect(audit.duplicated).toBe(0);
    expect(couponAudit.problems).toEqual([]);
    expect(couponAudit.lost).toBe(0);
    expect(couponAudit.duplicated).toBe(0);
    // Every request ever written, shown or not (killed before printing), ended verified once.
    expect(Object.keys(states)).toEqual(['verified']);
    const verifiedCoupons = rows.filter((r) => r.kind === 'coupon' && r.state === 'verified').length;
    expect(sandbox.ledger()).toHaveLength(states.verified! - verifiedCoupons);
    expect(sandbox.coupons.ledger()).toHaveLength(verifiedCoupons);
    // Coupons were in the storm, and some were killed with their answer unknown.
    expect(couponsShown.length).toBeGreaterThan(0);
    // The storm really hit the interesting moments.
    expect(shown.length).toBeGreaterThan(ROUNDS);
    expect(killedMidScan).toBeGreaterThan(0);
    // Every kill hit a live core: a child that had already left would prove nothing.
    expect(exitedEarly).toBe(0);
  });

  it(`admits coupons offline on the staff's count and verifies each exactly once when SIGKILLed ${OFFLINE_COUPON_ROUNDS} times mid-count, mid-prepare and mid-verify`, async () => {
    const random = prng(SEED ^ 0xc0de);
    const { book, coupons } = chaosCoupons(OFFLINE_COUPON_ROUNDS * 5, '83');
    const sandbox: Sandbox = await startSandbox({ orders: chaosOrders(1, '83'), coupons: book });
    cleanup.push(() => sandbox.close());
    const dir = tempDir('tw-chaos-offline-coupons-');
    cleanup.push(() => dir.remove());
    const env = { ...sandboxEnv(sandbox), TICKET_WINDOW_DATA_DIR: dir.path, CHAOS_OFFLINE_COUNT: '1' };
    await presetDataDir(dir.path, sandbox, { answerBudgetMs: 800, poiId: '7000000000000000001', offlineCoupons: 'admit' });

    const shown: Shown[] = [];
    let next = 0;
    let killedWithRequestsOut = 0;
    let live: ChildHandle | undefined;
    cleanup.push(async () => live?.kill());
    const open = () =>
      withReadOnly(dir.path, (db) => {
        const s = outboxStateCounts(db);
        return (s.queued ?? 0) + (s.sending ?? 0);
      });
    for (let round = 0; round < OFFLINE_COUPON_ROUNDS; round += 1) {
      sandbox.clearFaults();
      sandbox.setOffline(true);
      const batch = coupons.slice(next, (next += 2 + Math.floor(random() * 4))).map((c) => c.code);
      // Once Douyin is back: its answers to the later prepare or the verify held or cut short.
      sandbox.setLatency(Math.floor(random() * 120), Math.floor(random() * 200));
      if (random() < 0.5) {
        const ms = 300 + Math.floor(random() * 900);
        sandbox.coupons.injectFault(
          'prepare',
          pick(random, [{ kind: 'hold', ms, afterProcessing: true }, { kind: 'truncated_json' }] as const),
          1,
        );
      }
      if (random() < 0.6) {
        const ms = 300 + Math.floor(random() * 900);
        sandbox.coupons.injectFault(
          'verify',
          pick(random, [
            { kind: 'hold', ms, afterProcessing: true },
            { kind: 'hold', ms, afterProcessing: false },
            { kind: 'truncated_json' },
          ] as const),
          1,
        );
      }
      live = startChild(SCAN_CHILD, { ...env, CHAOS_SCANS: JSON.stringify(batch) });
      await live.waitFor((l) => l.ready === true, 30_000);
      const child = live;
      // Two lines per coupon (the count step, then the count's answer): killed after some of them.
      const linesBeforeKill = 1 + Math.floor(random() * (2 * batch.length - 1));
      await until(() => answersShown(child).length >= linesBeforeKill, 30_000, `${linesBeforeKill} answers before the kill`);
      const sent = () => sandbox.coupons.requestCount('prepare') + sandbox.coupons.requestCount('verify');
      const before = sent();
      if (random() < 0.6) {
        // Douyin is back (the OS says so) while the window still counts: the drain runs into the kill.
        sandbox.setOffline(false);
        live.wake?.();
        // Placed by progress, not by the clock (a loaded machine is slow to start the drain):
        // once the later prepare or a verify reached Douyin, somewhere in what follows.
        await until(() => sent() > before, 20_000, 'the drain to reach Douyin').catch(() => undefined);
        await sleep(Math.floor(random() * 600));
      } else {
        await sleep(Math.floor(random() * 100));
      }
      await live.kill('SIGKILL');
      shown.push(...answersShown(live));
      if (sent() > before && open() > 0) killedWithRequestsOut += 1;
    }

    sandbox.clearFaults();
    live = startChild(SCAN_CHILD, { ...env, CHAOS_SCANS: '[]' });
    await live.waitFor((l) => l.ready === true, 30_000);
    await until(() => open() === 0, 90_000, 'the final drain');
    await live.kill('SIGTERM');

    const items = withReadOnly(
      dir.path,
      (db) =>
        db
          .prepare(`SELECT scan_id AS scanId, state, order_id AS orderId, request FROM outbox WHERE kind = 'coupon' ORDER BY id`)
          .all() as OfflineCouponItem[],
    );
    const audit = auditOfflineCoupons(shown, items, sandbox.coupons.ledger(), coupons);
    const admittedShown = shown.filter((s) => s.reason === 'coupon_offline_admitted').length;
    report('chaos: kill -9, coupons admitted offline', {
      chaos_offline_coupon_rounds: OFFLINE_COUPON_ROUNDS,
      chaos_offline_coupons_shown_admitted: admittedShown,
      chaos_offline_coupons_queued: items.length,
      chaos_offline_coupons_killed_with_requests_out: killedWithRequestsOut,
      chaos_offline_coupons_lost: audit.lost,
      chaos_offline_coupons_duplicated: audit.duplicated,
    });
    expect(audit.problems).toEqual([]);
    expect(audit.lost).toBe(0);
    expect(audit.duplicated).toBe(0);
    expect(withReadOnly(dir.path, outboxStateCounts)).toEqual({ verified: items.length });
    // The storm admitted coupons and killed the window with their prepare or verify out.
    expect(admittedShown).toBeGreaterThan(0);
    expect(killedWithRequestsOut).toBeGreaterThan(0);
  });
});

function answersShown(child: ChildHandle): Shown[] {
  return child.lines
    .filter((l): l is { shown: Shown } => typeof l === 'object' && l !== null && 'shown' in l)
    .map((l) => l.shown);
}
