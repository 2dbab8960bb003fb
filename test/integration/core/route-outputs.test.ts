import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { RecoveryLog } from '../../../electron/core/db/recovery-log';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { channels, contract, type Channel } from '../../../shared/ipc/contract';
import { businessDate } from '../../../shared/time';
import { addScans } from '../supervisor/rows';
import { tempDir } from '../../support/temp';
import { startHarness } from '../../support/core-harness';
import { DEMO_POI_ID } from '../../../electron/sandbox';
import { startTestHub, startTestPostgres } from '../../support/hub';
import { openDb as openHubDb, type Db as HubDb } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { createPairingCode } from '../../../hub/pairing';
import type { HubServer } from '../../../hub/server';

/**
 * Every channel of the contract, driven through the real routes of a real core in demo mode (the
 * embedded sandbox), in an order where each call has what it needs (a session, an export, a stuck
 * item). The list must name every channel, so a new channel fails here until it is covered.
 */
type Step = readonly [Channel, (s: State) => Record<string, unknown> | Promise<Record<string, unknown>>];
interface State {
  session: string;
  exportId: string;
  retryId: number;
  handledId: number;
  recoveryId: number;
  feedUrl: string;
  prepareId: number;
  cancelId: number;
  undoScanId: number;
}

const voucherFile = JSON.stringify({
  order_id: '9100000000000000001',
  multi_store: false,
  visit_date: businessDate(Date.now()),
  voucher: { entrance: { project_id: 'gate', name: '入园', qrcodes: ['QR-GATE-0001'] } },
});
const withSession =
  (extra: Record<string, unknown> = {}) =>
  (s: State) => ({ session: s.session, ...extra });

const steps: Step[] = [
  ['app.status', () => ({})],
  ['queue.wake', () => ({})],
  ['vouchers.summary', () => ({})],
  ['scan.submit', () => ({ raw: 'TW1000000001', source: 'scanner' })],
  // Demo coupon 100000000003 has three certificates: the first scan asks, the second cancels.
  ['scan.confirmCoupon', (s) => ({ prepareId: s.prepareId, count: 1 })],
  ['scan.cancelCoupon', (s) => ({ prepareId: s.cancelId })],
  ['scan.recent', () => ({ limit: 10 })],
  ['supervisor.auth', () => ({})],
  ['supervisor.pin.set', () => ({ pin: '135790' })],
  ['supervisor.lock', withSession()],
  ['supervisor.unlock', () => ({ pin: '135790' })],
  ['supervisor.touch', withSession()],
  ['supervisor.pin.change', withSession({ pin: '246801' })],
  ['supervisor.history', withSession({ filter: {}, limit: 50 })],
  // The verified coupon's attempts, as its opened history row reads them.
  ['supervisor.history.attempts', (s) => ({ session: s.session, scanId: s.undoScanId })],
  // The coupon verified by scan.confirmCoupon above, undone within its hour.
  ['supervisor.coupon.undo', (s) => ({ session: s.session, scanId: s.undoScanId, reason: '游客买错票' })],
  ['supervisor.queue', withSession()],
  ['supervisor.queue.retry', (s) => ({ session: s.session, outboxId: s.retryId })],
  ['supervisor.queue.handled', (s) => ({ session: s.session, outboxId: s.handledId, note: '已电话联系游客' })],
  ['supervisor.secretsLost.acknowledge', withSession()],
  ['supervisor.database.acknowledge', (s) => ({ session: s.session, recoveryId: s.recoveryId })],
  ['supervisor.shift.current', withSession()],
  ['supervisor.shift.close', withSession()],
  ['supervisor.printReport', withSession()],
  // The workbook: its chunk below then comes from the .xlsx writer (the CSV one is the default elsewhere).
  ['supervisor.export.start', withSession({ filter: {}, format: 'xlsx' })],
  ['supervisor.export.chunk', (s) => ({ session: s.session, exportId: s.exportId, index: 0 })],
  ['supervisor.settings', withSession()],
  ['supervisor.settings.save', (s) => ({ session: s.session, settings: { voucherFeedUrl: s.feedUrl }, credentials: {} })],
  ['supervisor.audit', withSession({ limit: 50 })],
  ['system.openLogFolder', withSession()],
  ['system.saveReportPdf', withSession()],
  ['operators.list', withSession()],
  ['operators.add', withSession({ operator: { staffNo: '0002', name: '张三', role: 'staff', pin: '864200' } })],
  ['operators.resetPin', withSession({ staffNo: '0002', pin: '864202' })],
  ['operators.signInPolicy', withSession({ required: true })],
  ['shift.state', () => ({})],
  ['shift.signIn', () => ({ staffNo: '0002', pin: '864202' })],
  ['shift.break', () => ({})],
  // A shift on a break ends only after its operator signs in again.
  ['shift.handover', () => signInAgain()],
  ['shift.signOut', () => signInAgain()],
  ['operators.setDisabled', withSession({ staffNo: '0002', disabled: true })],
  ['supervisor.dayView', withSession({ date: businessDate(Date.now()) })],
  ['devices.status', () => ({})],
  ['devices.idReader.get', withSession()],
  ['devices.idReader.save', withSession({ idReader: { kind: 'keyboard_wedge' } })],
  ['devices.scanner.save', withSession({ scanner: { suffix: 'none', burstGapMs: 40 } })],
  ['devices.printer.status', () => ({})],
  ['devices.printer.get', withSession()],
  // Port 9 on loopback: nothing listens, so the slips below wait in the queue (printing is after the answer).
  [
    'devices.printer.save',
    withSession({
      printer: { mode: 'on_demand', target: { kind: 'network', host: '127.0.0.1', port: 9 }, spotName: '测试景区' },
    }),
  ],
  ['devices.printer.test', withSession()],
  [
    'devices.printer.printScan',
    (s) => {
      // The first step's scan of a demo ticket, verified by the demo platform.
      const verified = core.db.prepare(`SELECT id FROM scans WHERE verdict = 'verified' ORDER BY id LIMIT 1`).get() as {
        id: number;
      };
      return { session: s.session, scanId: verified.id };
    },
  ],
  ['devices.printer.discard', withSession()],
  ['vouchers.import', withSession({ text: voucherFile })],
  ['vouchers.pull', withSession()],
  // Demo mode reconciles with the sandbox's own account and POI.
  ['supervisor.reconcile.run', withSession()],
  ['supervisor.reconcile.last', withSession()],
  ['demo.couponQr', () => ({ orderId: '1090000000000000001' })],
  // Last: pairing re-points the token source at the hub; unpairing brings demo mode back.
  ['hub.status', withSession()],
  ['hub.pair', async (s) => ({ session: s.session, url: hub.url, code: (await createPairingCode(hubDb)).code })],
  ['hub.unpair', withSession()],
];

async function signInAgain(): Promise<Record<string, never>> {
  await core.routes['shift.signIn']({ staffNo: '0002', pin: '864202' });
  return {};
}

const dir = tempDir('tw-outputs-');
const feed = createServer((_req, res) => res.end(voucherFile));
let core: CoreWithParts;
let postgres: LocalPostgres;
let hubDb: HubDb;
let hub: HubServer;
const state: State = {
  session: '',
  exportId: '',
  retryId: 0,
  handledId: 0,
  recoveryId: 0,
  feedUrl: '',
  prepareId: 0,
  cancelId: 0,
  undoScanId: 0,
};

beforeAll(async () => {
  // A real site hub on a real PostgreSQL for the hub.* channels; its Douyin is never asked here.
  postgres = await startTestPostgres();
  hubDb = await openHubDb(postgres.url);
  hub = await startTestHub(hubDb);
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
  state.feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/vouchers.jsonl`;
  core = await createCoreWithParts({
    connectPlatform,
    dataDir: dir.path,
    env: {},
    secretCodec: plainCodec,
    heartbeatMs: 200,
    // A faithful stand-in of main's side of the port: the PDF lands at the path asked for.
    desktop: {
      savePdf: async (path) => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, '%PDF-1.7 stand-in');
      },
      openPath: () => Promise.resolve(true),
      printSlip: () => Promise.resolve(),
    },
  });
  for (const key of ['prepareId', 'cancelId'] as const) {
    const asked = await core.routes['scan.submit']({ raw: '100000000003', source: 'keyboard' });
    // Asking records no scan, so the second ask is a second prepare, not a repeat.
    state[key] = asked.coupon?.prepareId ?? 0;
  }
  const stuck = addScans(
    core.db,
    [1, 2].map((n) => ({
      at: Date.now() - n * 60_000,
      display: `STUCK000${n}`,
      orderId: `900000000000000000${n}`,
      state: 'needs_attention' as const,
      reason: 'invalid_request · 2190008',
    })),
  );
  state.retryId = stuck[0]!.outboxId!;
  state.handledId = stuck[1]!.outboxId!;
  state.recoveryId = new RecoveryLog(core.db, Date.now).record({
    outcome: 'reindexed',
    reason: 'test: a repair to acknowledge',
    movedTo: null,
    carried: {},
  });
}, 60_000);
afterAll(async () => {
  await core?.close();
  await hub?.close();
  await hubDb?.end();
  await postgres?.stop();
  await new Promise((r) => feed.close(r));
  dir.remove();
});

describe('route outputs', () => {
  it('covers every channel of the contract, each once', () => {
    expect(steps.map(([channel]) => channel).sort()).toEqual([...channels].sort());
  });

  it('answers every channel with a value its contract output schema accepts, unchanged', async () => {
    for (const [channel, input] of steps) {
      const result = await dispatch(core.routes, channel, await input(state));
      expect(result, channel).toMatchObject({ ok: true });
      if (!result.ok) continue;
      const parsed = contract[channel].output.safeParse(result.value);
      expect(parsed.error?.message, channel).toBeUndefined();
      // Nothing beyond the schema either: a key it would strip is a key the renderer never typed.
      expect(parsed.data, channel).toEqual(result.value);
      const value = result.value as { token?: string; exportId?: string; scanId?: number | null };
      if (channel === 'scan.confirmCoupon' && value.scanId) state.undoScanId = value.scanId;
      if (value.token) state.session = value.token;
      if (value.exportId) state.exportId = value.exportId;
    }
  });
});

describe('route outputs of the offline coupon count step (coupons issue item 4)', () => {
  it('answers scan.submit, scan.confirmCoupon and scan.cancelCoupon with { scanId } within their output schemas, unchanged', async () => {
    const h = await startHarness({ settings: { poiId: DEMO_POI_ID, offlineCoupons: 'admit', duplicateWindowSeconds: 0 } });
    try {
      h.sandbox.setOffline(true);
      const strictly = async (channel: Channel, input: Record<string, unknown>) => {
        const result = await dispatch(h.core.routes, channel, input);
        if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
        const parsed = contract[channel].output.safeParse(result.value);
        expect(parsed.error?.message, channel).toBeUndefined();
        expect(parsed.data, channel).toEqual(result.value);
        return result.value as { scanId: number; reason: string };
      };
      const admitted = await strictly('scan.submit', { raw: '100000000003', source: 'keyboard' });
      expect(admitted.reason).toBe('coupon_offline_count');
      const counted = await strictly('scan.confirmCoupon', { scanId: admitted.scanId, count: 2 });
      expect(counted.reason).toBe('coupon_offline_admitted');
      const cancelled = await strictly('scan.submit', { raw: '100000000001', source: 'keyboard' });
      expect((await strictly('scan.cancelCoupon', { scanId: cancelled.scanId })).reason).toBe('coupon_cancelled');
    } finally {
      await h.close();
    }
  });
});
