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
  release(resolution: Pick<Resolution, 'orderId' | 'part'>, scanId: string): void;
  /** Also for an undone coupon, which has no resolution of its own: only the claim's key is needed. */
  releaseKey(key: string, scanId: string): void;
}

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
  const claims: SiteClaims = {
    claim: (resolution, scanId) => claims.claimKey(claimKeyOf(resolution), scanId),
    async claimKey(key, scanId) {
      const hub = client();
      if (!hub) return undefined;
      try {
        const answer = await hub.claim({ key, scanId });
        return answer.won ? { kind: 'claimed' } : { kind: 'lost', at: answer.claimedAtMs, windowName: answer.windowName };
      } catch (error) {
        if (!(error instanceof HubUnreachable) && !(error instanceof HubRefused)) throw error;
        log.warn(`site claim skipped, going on alone and claiming later: ${error.message}`);
        return { kind: 'away' };
      }
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
