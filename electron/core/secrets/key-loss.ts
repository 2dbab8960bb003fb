import { OPEN_STATES } from '../outbox/scan-outcome';
import { SecretsLost } from '../../../shared/domain/status';
import type { Db } from '../db/connection';
import { loggerFor } from '../log';
import type { OutboxRepository } from '../outbox/repository';
import { AuditLog } from '../supervisor/audit-log';
import type { IdSealer } from './id-sealer';
import type { SecretStore, StoreState } from './store';

const log = loggerFor('secrets');

const UNOPENABLE_REASON =
  'secrets.sealed was lost: the ID number sealed in this request cannot be opened. Verify the ticket by hand, then mark it handled.';

const LOST = 'secrets_lost';
const ACKNOWLEDGED = 'secrets_lost_acknowledged';

/**
 * What the database still holds that only the install keys can read, asked before any new key is
 * made. The questions span scans, the voucher index and the outbox, and exist only for this
 * recovery, so they stay here rather than in the tables' owners.
 */
export function keysTheDatabaseNeeds(db: Db, secrets: SecretStore): { idHashKey: boolean; payloadKey: boolean } {
  const holds = (sql: string) => db.prepare(sql).pluck().get() === 1;
  return {
    idHashKey:
      secrets.get('idHashKey') === undefined &&
      (holds(`SELECT EXISTS (SELECT 1 FROM voucher_credentials WHERE lookup_key LIKE 'id:%')`) ||
        holds(`SELECT EXISTS (SELECT 1 FROM scans WHERE credential_key LIKE 'id:%')`)),
    payloadKey:
      secrets.get('payloadKey') === undefined &&
      holds(`SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ${OPEN_STATES} AND request LIKE '%sealed:v1:%')`),
  };
}

/**
 * A lost or unreadable secret store, told rather than papered over: new keys are made so the gate
 * keeps working, requests sealed with the old key go to needs attention (they would otherwise
 * wait forever), and the supervisor sees a notice, kept in the append-only audit log, until
 * they acknowledge it.
 */
export class KeyLossNotice {
  private readonly system: AuditLog;
  private readonly latest;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.system = new AuditLog(db, now, () => 'system');
    this.latest = db.prepare(`SELECT id, detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`);
  }

  /** At start, after the keyer and the sealer have their keys. */
  recordIfLost(
    store: StoreState,
    needed: { idHashKey: boolean; payloadKey: boolean },
    repo: OutboxRepository,
    sealer: IdSealer,
  ): void {
    if (store !== 'unreadable' && !needed.idHashKey && !needed.payloadKey) return;
    const setAside = needed.payloadKey || store === 'unreadable' ? this.setAsideUnopenable(repo, sealer) : 0;
    const notice: SecretsLost = { at: this.now(), store, idLookupsLost: needed.idHashKey, setAside };
    log.error(`install keys lost (store ${store}); ${setAside} queued request(s) set aside`);
    this.system.record(LOST, JSON.stringify(notice));
  }

  /** The notice until a supervisor acknowledges it, across restarts. */
  pending(): SecretsLost | null {
    const lost = this.latest.get(LOST) as { id: number; detail: string } | undefined;
    const acknowledged = this.latest.get(ACKNOWLEDGED) as { id: number } | undefined;
    if (!lost || (acknowledged && acknowledged.id > lost.id)) return null;
    const parsed = SecretsLost.safeParse(JSON.parse(lost.detail));
    return parsed.success ? parsed.data : null;
  }

  acknowledge(audit: AuditLog): void {
    if (this.pending() !== null) audit.record(ACKNOWLEDGED);
  }

  private setAsideUnopenable(repo: OutboxRepository, sealer: IdSealer): number {
    let count = 0;
    for (const item of repo.unfinishedSealed()) {
      if (sealer.canOpen(item.request)) continue;
      repo.setAside(item.id, UNOPENABLE_REASON, this.now());
      count += 1;
    }
    return count;
  }
}
