import { loggerFor } from '../log';
import type { Resolution } from '../scan/resolve';
import { HubRefused, HubUnreachable, type HubClient } from './client';

const log = loggerFor('hub');

export interface SiteClaims {
  /** undefined: this window may use the ticket (claimed, or the hub is away); else where it was used first. */
  claim(resolution: Resolution, scanId: string): Promise<{ at: number; windowName: string } | undefined>;
  /** Also for an undone coupon, which has no resolution of its own: only the claim's key is needed. */
  release(resolution: Pick<Resolution, 'orderId' | 'part'>, scanId: string): void;
}

/** What a ticket is, site-wide: the order and, for a part verify, the project. Never an ID number. */
export function claimKeyOf(resolution: Pick<Resolution, 'orderId' | 'part'>): string {
  return `order:${resolution.orderId}:${resolution.part?.projectId ?? '*'}`;
}

/**
 * Claims at the site hub on the scan path. The hub away (or slower than the claim budget) never
 * stops the gate: the window goes on by its own rules, as without a hub.
 */
export function createSiteClaims(client: HubClient): SiteClaims {
  return {
    async claim(resolution, scanId) {
      try {
        const answer = await client.claim({ key: claimKeyOf(resolution), scanId });
        return answer.won ? undefined : { at: answer.claimedAtMs, windowName: answer.windowName };
      } catch (error) {
        if (!(error instanceof HubUnreachable) && !(error instanceof HubRefused)) throw error;
        log.warn(`site claim skipped, going on alone: ${error.message}`);
        return undefined;
      }
    },
    release(resolution, scanId) {
      client.release({ key: claimKeyOf(resolution), scanId }).catch((error: unknown) => {
        log.warn(`site claim release failed: ${String(error)}`);
      });
    },
  };
}
