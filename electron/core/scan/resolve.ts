import { businessDate } from '../../../shared/time';
import type { Candidate, VoucherIndexRepository } from '../vouchers/index-repository';

export interface Resolution {
  orderId: string;
  /** The part of the voucher the credential belongs to; null for a raw order id. */
  part: { isEntrance: boolean; projectId: string; projectName: string | null } | null;
  /** The order's store, for multi-store products only (null otherwise). */
  poiId: string | null;
  visitDate: string | null;
  /** What the visitor presented, recorded in `vouchers` so Douyin knows which credential was used. */
  credential: { kind: string; value: string } | null;
}

/**
 * Picks the order a credential stands for. An ID card may stand for several orders (a family's
 * tickets, another day's ticket): today's comes first, then the nearest future one, so a visitor
 * early by a day is told "too early" rather than "not found".
 */
function pickCandidate(candidates: Candidate[], now: number): Candidate | undefined {
  const today = businessDate(now);
  return (
    candidates.find((c) => c.visitDate === today) ??
    candidates.find((c) => c.visitDate > today) ??
    candidates[candidates.length - 1]
  );
}

export function resolveFromIndex(
  index: VoucherIndexRepository,
  lookupKey: string,
  credential: { kind: string; value: string },
  now: number,
): Resolution | undefined {
  const found = pickCandidate(index.lookup(lookupKey), now);
  if (!found) return undefined;
  return {
    orderId: found.orderId,
    part: { isEntrance: found.isEntrance, projectId: found.projectId, projectName: found.projectName },
    poiId: found.multiStore ? found.poiId : null,
    visitDate: found.visitDate,
    credential: { kind: found.kind, value: credential.value },
  };
}
