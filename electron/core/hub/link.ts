import type { HubStatus } from '../../../shared/domain/hub';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import { loggerFor } from '../log';
import type { SecretStore } from '../secrets/store';
import {
  forgetHubCredential,
  hubClientFromSecrets,
  HubRefused,
  HubUnreachable,
  pairAndStore,
  storedHubCredential,
  type HubClient,
} from './client';
import { HubOutbox } from './history-outbox';
import { createSiteClaims, type SiteClaims } from './site-claims';
import { HubSync } from './sync';
import type { VoucherPull } from './voucher-pull';

const log = loggerFor('hub');

export interface HubLinkDeps {
  db: Db;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** What the hub's page shows for this window. */
  version?: string | undefined;
  windowName: () => string;
  /** The token source follows the pairing: the platform is rebuilt after pair and unpair. */
  reconnect: () => Promise<void>;
  onChange: () => void;
  syncIntervalMs?: number;
  /** Demo mode: its scans are of the demo's tickets, and must never reach a site's history. */
  demo: () => boolean;
  /** The window's copy of the site's voucher index, kept up to date in each sync round. */
  vouchers: VoucherPull;
}

/**
 * This window's tie to its site hub: the credential (sealed in the secret store, the one truth of
 * whether the window is paired), the hub client of the moment, the claims on the scan path and
 * the background sync. Pairing and unpairing take effect at once, without a restart.
 */
export class HubLink {
  readonly claims: SiteClaims;
  private readonly outbox: HubOutbox;
  private readonly sync: HubSync;
  private client: HubClient | undefined;

  constructor(private readonly deps: HubLinkDeps) {
    this.outbox = new HubOutbox(deps.db);
    this.claims = createSiteClaims(() => this.client);
    this.sync = new HubSync({
      outbox: this.outbox,
      client: () => this.client,
      now: deps.now,
      version: deps.version,
      onChange: deps.onChange,
      pullVouchers: (client, stopped) => {
        const credential = storedHubCredential(deps.secrets);
        return credential ? deps.vouchers.pull(client, credential.windowId, stopped) : Promise.resolve(false);
      },
      ...(deps.syncIntervalMs ? { intervalMs: deps.syncIntervalMs } : {}),
    });
    this.adopt();
  }

  start(): void {
    this.sync.start();
  }

  /** A scan was recorded (or changed): its history goes out with the next batch. */
  changed(): void {
    if (this.client) this.sync.wake();
  }

  /** Runs one sync round now and waits for it. */
  syncNow(): Promise<void> {
    return this.sync.runOnce();
  }

  status(): HubStatus {
    const credential = storedHubCredential(this.deps.secrets);
    if (!credential) return { paired: false };
    const counts = this.outbox.counts();
    return {
      paired: true,
      url: credential.url,
      windowId: credential.windowId,
      ...this.sync.status(),
      pendingChanges: counts.pending,
      unclaimed: counts.unclaimed,
    };
  }

  async pair(url: string, code: string): Promise<HubStatus> {
    try {
      await pairAndStore(this.deps.secrets, url, {
        code,
        name: this.deps.windowName(),
        ...(this.deps.version ? { version: this.deps.version } : {}),
      });
    } catch (error) {
      if (error instanceof HubRefused) {
        const badCode = error.answer.error === 'bad_pairing_code';
        throw new RouteError(
          badCode ? 'forbidden' : 'conflict',
          error.message,
          badCode ? 'hub.error.badCode' : 'hub.error.refused',
        );
      }
      if (error instanceof HubUnreachable) throw new RouteError('not_available', error.message, 'hub.error.unreachable');
      throw error;
    }
    const fromDemo = this.deps.demo();
    await this.deps.secrets.written();
    await this.switched();
    if (fromDemo) log.info('paired from demo mode: the demo scans stay at this window, the site history starts now');
    log.info(`paired with ${url} as window ${storedHubCredential(this.deps.secrets)?.windowId ?? '?'}`);
    return this.status();
  }

  async unpair(): Promise<HubStatus> {
    forgetHubCredential(this.deps.secrets);
    await this.deps.secrets.written();
    await this.switched();
    log.info('unpaired');
    return this.status();
  }

  async close(): Promise<void> {
    await this.sync.stop();
    await this.client?.close();
  }

  private async switched(): Promise<void> {
    await this.sync.stop();
    await this.client?.close();
    this.adopt();
    await this.deps.reconnect();
    this.sync.start();
    this.deps.onChange();
  }

  /** Follows the stored credential: a paired window logs its history for that window id. */
  private adopt(): void {
    const credential = storedHubCredential(this.deps.secrets);
    if (credential) this.outbox.link(credential.windowId, this.deps.now(), !this.deps.demo());
    else this.outbox.unlink();
    this.client = hubClientFromSecrets(this.deps.secrets, this.deps.env);
  }
}
