import { loggerFor } from '../log';
import type { Resolution } from '../scan/resolve';
import { HubRefused, HubUnreachable, type HubClient } from './client';

const log = loggerFor('hub');

/** A claim's answer on the scan path: this window may use the ticket, the hub is away, or it was used elsewhere. */
type ClaimResult = { kind: 'claimed' } | { kind: 'away' } | { kind: 'lost'; at: number; windowName: string };

export interface SiteClaims {
  /** undefined: this window has no hub (nothing to claim). */
  claim(resolution: Resolution, scanId: string): Promise<ClaimResult | undefined>;
  /** A ticket known by its key alone: a coupon admitted offline, before Douyin names its order. */
  claimKey(key: string, scanId: string): Promise<ClaimResult | undefined>;
  /** Who holds a ticket, without claiming it; undefined without a hub, or with the hub away. */
  holderOf(key: string): Promise<{ at: number; windowName: string } | undefined>;
  release(resolution: Pick<Resolution, 'orderId' | 'part'>, scanId: string): void;
  /** Also for an undone coupon, which has no resolution of its own: only the claim's key is needed. */
  releaseKey(key: string, scanId: string): void;
}

const AWAY = Symbol('the hub is away');

/** What a ticket is, site-wide: the order and, for a part verify, the project. Never an ID number. */
export function claimKeyOf(resolution: { orderId: string; part: { projectId: string } | null }): string {
  return `order:${resolution.orderId}:${resolution.part?.projectId ?? '*'}`;
}

/**
 * Claims at the site hub on the scan path. The hub away (or slower than the claim budget) never
 * stops the gate: the window goes on by its own rules, as without a hub, and the scan is claimed
 * later (hub/sync). `client` is the hub of the moment: none before pairing or after unpairing.
 */
export function createSiteClaims(client: () => HubClient | undefined): SiteClaims {
  /** The hub's answer; undefined without a hub; AWAY when it cannot be reached (or refuses this window). */
  async function askHub<T>(ask: (hub: HubClient) => Promise<T>, skipped: string): Promise<T | typeof AWAY | undefined> {
    const hub = client();
    if (!hub) return undefined;
    try {
      return await ask(hub);
    } catch (error) {
      if (!(error instanceof HubUnreachable) && !(error instanceof HubRefused)) throw error;
      log.warn(`${skipped}: ${error.message}`);
      return AWAY;
    }
  }
  const claims: SiteClaims = {
    claim: (resolution, scanId) => claims.claimKey(claimKeyOf(resolution), scanId),
    async claimKey(key, scanId) {
      const answer = await askHub((hub) => hub.claim({ key, scanId }), 'site claim skipped, going on alone and claiming later');
      if (answer === undefined) return undefined;
      if (answer === AWAY) return { kind: 'away' };
      return answer.won ? { kind: 'claimed' } : { kind: 'lost', at: answer.claimedAtMs, windowName: answer.windowName };
    },
    async holderOf(key) {
      const answer = await askHub((hub) => hub.holder(key), 'site holder not known, going on alone');
      return answer === undefined || answer === AWAY || !answer.held
        ? undefined
        : { at: answer.claimedAtMs, windowName: answer.windowName };
    },
    release: (resolution, scanId) => claims.releaseKey(claimKeyOf(resolution), scanId),
    releaseKey(key, scanId) {
      client()
        ?.release({ key, scanId })
        .catch((error: unknown) => {
          // Not lost: hub/sync releases every claimed scan Douyin refused, once the hub answers.
          log.warn(`site claim release failed, retried by the sync: ${String(error)}`);
        });
    },
  };
  return claims;
}
