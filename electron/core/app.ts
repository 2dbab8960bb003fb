import { join } from 'node:path';
import type { AppStatus } from '../../shared/domain/status';
import type { Settings } from '../../shared/domain/settings';
import type { DesktopSettings, UpdateFacts } from './host/protocol';
import type { UpdateReport } from '../../shared/updates/rollout';
import { acquireDataLock } from './data-lock';
import { openAppDatabase } from './db/app-database';
import type { Db } from './db/connection';
import { webDesktop, type Desktop } from './desktop';
import { startCheckpointer } from './db/checkpointer';
import { markDamaged } from './db/damage';
import { startIntegrityCheck } from './db/integrity-check';
import { RecoveryLog } from './db/recovery-log';
import type { Routes } from './dispatch';
import { startReaderHost } from './devices/id-reader/reader-host';
import { EventHub } from './events';
import { pruneHistory } from './history/retention';
import { log, logDirOf } from './log';
import { RateLimiter } from './outbox/limiter';
import { OutboxRepository } from './outbox/repository';
import { OutboxWorker } from './outbox/worker';
import type { ConnectPlatform, Platform } from './platform';
import { createRoutes } from './routes';
import { PrintDesk } from './printing/print-desk';
import type { Timeouts } from './printing/network-printer';
import { CouponRepository } from './scan/coupon-repository';
import { createOfflineCouponPreparer } from './scan/offline-coupon-prepare';
import { OfflineCouponRepository } from './scan/offline-coupon-repository';
import { ScanService } from './scan/service';
import { ScanRepository } from './scan/scan-repository';
import { createShortLinkTrust } from './douyin/short-link-trust';
import { SignInDesk } from './operators/sign-in-desk';
import { HubLink } from './hub/link';
import { claimKeyOf } from './hub/site-claims';
import { VoucherPull } from './hub/voucher-pull';
import { DouyinCredentials } from './secrets/douyin-credentials';
import { IdSealer } from './secrets/id-sealer';
import { KeyLossNotice, keysTheDatabaseNeeds } from './secrets/key-loss';
import { SecretStore, type RemoteSecretCodec, type SecretCodec } from './secrets/store';
import { SettingsStore } from './settings/store';
import { createSupervisor } from './supervisor';
import { DailyReconciliation } from './reconcile/daily-reconciliation';
import { Reconciler } from './reconcile/reconciler';
import { ReconciliationRepository } from './reconcile/reconciliation-repository';
import { VerifierLink } from './supervisor/verifier-link';
import { createCredentialKeyer } from './vouchers/credential-key';
import { VoucherImporter } from './vouchers/importer';
import { VoucherIndexRepository } from './vouchers/index-repository';

export interface CoreOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** safeStorage in main, reached over the host protocol when the core has its own process. */
  secretCodec: SecretCodec | RemoteSecretCodec;
  /** The OS actions of Electron's main; the web transport has none. */
  desktop?: Desktop;
  /** Chosen by the entry point: live Douyin, or demo mode when nothing is configured. */
  connectPlatform: ConnectPlatform;
  now?: () => number;
  /** Tests shorten the worker's heartbeat; the app keeps the default. */
  heartbeatMs?: number;
  /** Tests shorten supervisor mode's idle lock. */
  supervisorIdleMs?: number;
  /** Tests shorten how long a dead printer is waited for; the app keeps the defaults. */
  printerTimeouts?: Timeouts;
  /** Tests load a stand-in of winspool.drv for raw Windows printing; the app loads the real one. */
  winspoolPath?: string;
  /** Tests shorten how often the site hub sync looks for work. */
  hubSyncMs?: number;
}

/**
 * What an entry point (the core's process, the web transport) needs: the routes to dispatch
 * to, the events to forward, and the life cycle. The database, the worker and the settings stay
 * inside; each route group gets only what it needs from `createRoutes`.
 */
export interface Core {
  routes: Routes;
  events: EventHub;
  status(): AppStatus;
  /** What main's window needs of the settings (kiosk, start at login), and word of each change. */
  desktopSettings: { get(): DesktopSettings; subscribe(listener: (next: DesktopSettings) => void): void };
  /** Connects again with the saved credentials and base URL, without a restart. */
  reconnect(): Promise<void>;
  /**
   * Set when the database file was damaged at start-up and this start repaired it by a new file:
   * where the damaged one was kept. The staff and the supervisor are told until acknowledged.
   */
  recoveredFrom?: string;
  /** The background integrity check of this start: null for a whole file. */
  integrityChecked: Promise<string | null>;
  /** Resolves once every secret change so far is on disk (a remote codec writes behind). */
  secretsWritten(): Promise<void>;
  /** What main's updater asks of the core (host protocol `update`), never a renderer channel. */
  updates: { facts(): UpdateFacts; report(report: UpdateReport): Promise<void> };
  close(): Promise<void>;
}

/**
 * The same core with its parts in reach, for tests and benches that arrange or inspect state
 * below the routes (a row written as a crash would leave it, a count in SQL). ESLint keeps
 * `createCoreWithParts` out of the product's entry points.
 */
export interface CoreWithParts extends Core {
  db: Db;
  platform: Platform;
  worker: OutboxWorker;
  settings: SettingsStore;
  /** The site hub link: pairing, claims, the history sync. */
  hub: HubLink;
}

export const DATABASE_FILE = 'ticket-window.db';

/** How long the health line may lag a scan or a settled item (it is a glance, not the answer). */
const STATUS_SETTLE_MS = 100;

/** A feed token outlives a check and a slow download over the site's LAN, and little more. */
const UPDATE_TOKEN_MS = 2 * 60 * 60_000;

const desktopSettingsOf = ({ kiosk, autoStart }: Settings): DesktopSettings => ({ kiosk, autoStart });

/**
 * The composition root shared by Electron's main process and the web transport: everything the
 * app does, with no Electron in it, so it runs (and is tested) under plain Node.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const full = await createCoreWithParts(options);
  return {
    routes: full.routes,
    events: full.events,
    status: full.status,
    desktopSettings: full.desktopSettings,
    reconnect: full.reconnect,
    ...(full.recoveredFrom !== undefined ? { recoveredFrom: full.recoveredFrom } : {}),
    integrityChecked: full.integrityChecked,
    secretsWritten: full.secretsWritten,
    updates: full.updates,
    close: full.close,
  };
}

export async function createCoreWithParts(options: CoreOptions): Promise<CoreWithParts> {
  // One process per data folder: two workers over one outbox would send each item twice.
  const lock = acquireDataLock(options.dataDir);
  log.toFolder(logDirOf(options.dataDir));
  try {
    const core = await assembleCore(options);
    const close = core.close;
    core.close = async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    };
    return core;
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function assembleCore(options: CoreOptions): Promise<CoreWithParts> {
  const now = options.now ?? Date.now;
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const opened = openAppDatabase(databaseFile, { now });
  const db = opened.db;
  const checkpointer = startCheckpointer(db, databaseFile);
  const recoveries = new RecoveryLog(db, now);
  if (opened.recovery) recoveries.record(opened.recovery);
  let databaseDamaged = false;
  const settings = new SettingsStore(db);
  const secrets = await SecretStore.open(options.dataDir, options.secretCodec, now);
  // Asked before the keyer and the sealer make any missing key.
  const keysNeeded = keysTheDatabaseNeeds(db, secrets);
  const keyOf = createCredentialKeyer(secrets);
  const sealer = new IdSealer(secrets);
  const events = new EventHub();
  const repo = new OutboxRepository(db);
  const scanRecords = new ScanRepository(db, repo);
  const couponRecords = new CouponRepository(db, scanRecords);
  const offlineCoupons = new OfflineCouponRepository(db, scanRecords);
  const keyLoss = new KeyLossNotice(db, now);
  keyLoss.recordIfLost(secrets.state, keysNeeded, repo, sealer);
  const index = new VoucherIndexRepository(db);
  const importer = new VoucherImporter(index, keyOf, now);

  const douyin = new DouyinCredentials(secrets, options.env);
  douyin.adoptUnboundSecret(settings.get());
  const connect = async () => {
    const connected = await options.connectPlatform(douyin.resolve(settings.get()).config, { now });
    if (connected.demo) importer.importOrders(connected.demo.vouchers);
    return connected;
  };
  let platform = await connect();
  const verifier = new VerifierLink(platform.verifier);

  let lastContactAt = repo.lastContact();
  const status = (): AppStatus => {
    const config = settings.get();
    return {
      mode: platform.mode,
      dataDir: options.dataDir,
      windowName: config.windowName,
      language: config.language,
      sound: config.sound,
      scanner: config.scanner,
      recoveredFrom: recoveries.pending()?.movedTo ?? null,
      secretsLost: keyLoss.pending(),
      databaseRecovery: recoveries.pending(),
      databaseDamaged,
      queue: queueHealth(),
      online: worker.online,
      lastContactAt,
      demoCodes: platform.demo?.codes ?? [],
    };
  };
  const publishStatus = () => events.emit('status.changed', status());
  /**
   * Work a waiting visitor need not wait for (the health line, the history row's update): the next
   * turn of the event loop, after the verify request has left or the answer has been returned.
   * Profiled at loopback, these queries ran between the scan's commit and its POST.
   */
  const offTheScanPath = (work: () => void) =>
    setImmediate(() => {
      try {
        if (db.open) work();
      } catch (error) {
        // Nothing awaits this turn: a failure here must be logged, not crash the process.
        log.error('[status] could not publish after a scan', error);
      }
    });

  /**
   * After a scan or a settled item: one status per STATUS_SETTLE_MS at most. Draining a backlog
   * settles up to 100 items a second, and each status counts the open items (a few ms with
   * 40,000 of them): published per item, that held the event loop a visitor's answer waits on.
   * What the supervisor does is published at once (publishStatus).
   */
  let statusDue: NodeJS.Timeout | undefined;
  const publishStatusSoon = () => {
    statusDue ??= setTimeout(() => {
      statusDue = undefined;
      offTheScanPath(publishStatus);
    }, STATUS_SETTLE_MS);
  };

  const limiter = new RateLimiter({ ratePerSecond: settings.get().verifyRatePerSecond });
  const worker = new OutboxWorker({
    repo,
    answers: {
      setVerdict: (answer) => scanRecords.setVerdict(answer),
      certificatesVerified: (scanId, certificates, at) => couponRecords.certificatesVerified(scanId, certificates, at),
      tripVerifyIds: (scanId, ids) => scanRecords.tripVerifyIds(scanId, ids),
      certificatesUndone: (outboxId, certificateIds, at) => couponRecords.certificatesUndone(outboxId, certificateIds, at),
      couponPrepared: (scanId, step) => couponRecords.offlinePrepared(scanId, step),
    },
    verifier,
    coupons: () => platform.coupons,
    offlineCoupons: createOfflineCouponPreparer({
      coupons: () => platform.coupons,
      shortLinks: () => shortLinks.resolver(),
      pendingCertificates: (orderId) => couponRecords.pendingCertificates(orderId),
      now,
    }),
    limiter,
    sealer,
    now,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    onReachability: (reached, at) => {
      if (reached) lastContactAt = at;
    },
    onSettled: ({ row, transition }) =>
      offTheScanPath(() => {
        const scanId = row.scan_id ?? supervisor.undos.scanOf(row.id);
        const record = scanId === undefined ? undefined : scanRecords.get(scanId);
        if (record) events.emit('scan.updated', supervisor.undos.annotate([record])[0] ?? record);
        // An undone coupon may be used again: its site-wide claim goes (claimed by its verify's token).
        if (row.kind === 'coupon_cancel' && transition.state === 'verified' && scanId !== undefined) {
          const token = repo.verifyTokenOf(scanId);
          const key = offlineCoupons.claimKeyOf(scanId) ?? claimKeyOf({ orderId: row.order_id, part: null });
          if (token) siteClaims.releaseKey(key, token);
        }
        publishStatusSoon();
        hub.changed();
      }),
    onPause: publishStatus,
  });

  settings.subscribe((next) => {
    limiter.setRate(next.verifyRatePerSecond);
    publishStatus();
  });

  // One reconnect at a time: two quick saves must not leave two platforms running.
  let reconnecting = Promise.resolve();
  const reconnect = (): Promise<void> => {
    const next = reconnecting.then(async () => {
      const fresh = await connect();
      log.info(`[platform] reconnected in ${fresh.mode} mode`);
      const old = platform;
      platform = fresh;
      verifier.use(fresh.verifier);
      await old.close();
      worker.resume();
      publishStatus();
    });
    reconnecting = next.catch(() => undefined);
    return next;
  };
  const supervisor = createSupervisor({
    db,
    dataDir: options.dataDir,
    settings,
    secrets,
    douyin,
    worker,
    now,
    mode: () => platform.mode,
    reconnect,
    acknowledgeKeyLoss: (audit) => {
      keyLoss.acknowledge(audit);
      publishStatus();
    },
    ...(options.supervisorIdleMs ? { idleMs: options.supervisorIdleMs } : {}),
  });
  // Items a supervisor marked handled no longer ask for attention on the staff's health line.
  function queueHealth(): AppStatus['queue'] {
    const health = repo.health();
    return { ...health, needsAttention: health.needsAttention - supervisor.queue.handledCount() };
  }

  // Off the scan path: scanning starts now; damage found later is repaired at the next start.
  const integrity = startIntegrityCheck(databaseFile);
  const integrityChecked = integrity.done.then(
    (problem) => {
      if (problem !== null) {
        markDamaged(databaseFile, problem);
        databaseDamaged = true;
        log.error(`[db] the integrity check found damage (${problem}); it is repaired at the next start`);
        publishStatus();
      }
      return problem;
    },
    (error: unknown) => {
      log.error('[db] the integrity check could not run', error);
      return null;
    },
  );

  const shortLinks = createShortLinkTrust({
    env: options.env,
    setting: () => settings.get().douyinShortLinkHosts,
    demoHosts: () => platform.demo?.shortLinkHosts,
  });
  const signIn = new SignInDesk({
    db,
    operators: supervisor.operators,
    shifts: supervisor.shifts,
    settings,
    audit: supervisor.audit,
    now,
    queueHealth,
  });
  signIn.closeCrashed();
  // Receipt printing (issue 16): after the answer, from a durable queue, never on the scan path.
  const printer = new PrintDesk({
    db,
    settings,
    desktop: options.desktop ?? webDesktop,
    now,
    onStatus: (printerStatus) => events.emit('printer.status', printerStatus),
    ...(options.printerTimeouts ? { timeouts: options.printerTimeouts } : {}),
    ...(options.winspoolPath ? { winspoolPath: options.winspoolPath } : {}),
  });
  // Site hub (issue 17): a paired window claims each ticket site-wide before using it, and sends
  // its history to the hub in the background.
  const hub = new HubLink({
    db,
    secrets,
    env: options.env,
    now,
    version: options.env.TICKET_WINDOW_VERSION,
    windowName: () => settings.get().windowName,
    reconnect,
    onChange: publishStatus,
    demo: () => platform.mode === 'demo',
    vouchers: new VoucherPull(db, importer, index, now),
    ...(options.hubSyncMs ? { syncIntervalMs: options.hubSyncMs } : {}),
  });
  const siteClaims = hub.claims;
  const poiId = () => settings.get().poiId ?? platform.demo?.poiId;
  const accountId = () => settings.get().douyinAccountId ?? platform.demo?.accountId;
  const scans = new ScanService({
    scans: scanRecords,
    worker,
    settings,
    index,
    keyOf,
    sealer,
    now,
    onRecorded: () => {
      publishStatusSoon();
      offTheScanPath(() => hub.changed());
    },
    onAnswered: (answer) => offTheScanPath(() => printer.answered(answer)),
    coupons: {
      client: () => platform.coupons,
      shortLinks: shortLinks.resolver,
      trustedHosts: shortLinks.hosts,
      poiId,
      accountId,
      repo: couponRecords,
      offlineRepo: offlineCoupons,
    },
    operatorOf: () => signIn.scanOperator(),
    siteClaims,
  });
  worker.start();
  hub.start();

  // Reconciliation with Douyin's verify records: by the supervisor, and daily off the scan path.
  const reconciliations = new ReconciliationRepository(db);
  const reconciler = new Reconciler({ repo: reconciliations, coupons: () => platform.coupons, accountId, poiId, now });
  const dailyReconciliation = new DailyReconciliation({
    reconciler,
    repo: reconciliations,
    configured: () => accountId() !== undefined && poiId() !== undefined,
    now,
  });
  dailyReconciliation.start();

  printer.start();
  // A card read by the reader takes the same path as a typed ID number: keyed hash, sealed
  // while queued, masked in history. Only its answer leaves the core.
  const reader = startReaderHost(
    settings,
    (idNumber) =>
      void scans.submit(idNumber, 'scanner').then(
        (answer) => events.emit('device.scanned', answer),
        (error: unknown) => log.error('[id-reader] the scan of a read card failed', error),
      ),
    (readerStatus) => events.emit('idReader.status', readerStatus),
  );

  // Retention runs at start and then daily, off the start-up path and never holding the process.
  let closing = false;
  let pruning: Promise<void> = Promise.resolve();
  const prune = () => {
    pruning = pruneHistory(db, settings.get().historyRetentionDays, now(), () => !closing).then(
      (pruned) => {
        if (pruned.scans + pruned.voucherOrders > 0)
          log.info(`[retention] removed ${pruned.scans} old scans, ${pruned.voucherOrders} old voucher orders`);
      },
      (error: unknown) => log.error('[retention] could not prune history', error),
    );
  };
  const retentionTimers = [setTimeout(prune, 30_000), setInterval(prune, 86_400_000)];
  for (const timer of retentionTimers) timer.unref();

  return {
    routes: createRoutes({
      status,
      scans,
      scanRecords,
      worker,
      settings,
      importer,
      index,
      supervisor,
      now,
      recoveries,
      publishStatus,
      desktop: options.desktop ?? webDesktop,
      signIn,
      reader,
      reconciler,
      reconciliations,
      demoCouponQr: (orderId) => platform.demo?.couponQr?.(orderId),
      printer,
      hub,
    }),
    events,
    db,
    get platform() {
      return platform;
    },
    worker,
    settings,
    hub,
    status,
    desktopSettings: {
      get: () => desktopSettingsOf(settings.get()),
      subscribe: (listener) => settings.subscribe((next) => listener(desktopSettingsOf(next))),
    },
    reconnect,
    ...(opened.recovery?.movedTo ? { recoveredFrom: opened.recovery.movedTo } : {}),
    integrityChecked,
    secretsWritten: () => secrets.written(),
    updates: {
      facts: () => {
        const link = hub.status();
        return {
          feed: hub.updateFeed(now() + UPDATE_TOKEN_MS),
          shiftOpen: signIn.state().operator !== null,
          unsynced: queueHealth().queued + (link.paired ? link.pendingChanges + link.unclaimed : 0),
        };
      },
      report: (report) => hub.reportUpdate(report),
    },
    async close() {
      clearTimeout(statusDue);
      await integrity.stop();
      await supervisor.exports.close();
      for (const timer of retentionTimers) clearTimeout(timer);
      closing = true;
      await pruning;
      dailyReconciliation.stop();
      await reconciler.close();
      await reconnecting;
      await reader.close();
      await printer.close();
      await hub.close();
      await worker.stop();
      await shortLinks.close();
      await platform.close();
      await checkpointer.stop();
      db.close();
      await secrets.written();
    },
  };
}
