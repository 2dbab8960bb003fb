import { randomBytes } from 'node:crypto';
import type { TripVerifyRequest, VoucherPart } from '../douyin/schemas';
import type { Resolution } from './resolve';

const CREDENTIAL_FIELD: Record<string, keyof Pick<VoucherPart, 'qrcodes' | 'certificate_nos' | 'id_cards'>> = {
  qrcode: 'qrcodes',
  certificate_no: 'certificate_nos',
  id_card: 'id_cards',
};

/** One per request, kept across all its retries: Douyin's idempotency key for this verify. */
export function newVerifyToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The seed's body for one scan. A credential that belongs to one project makes a partial verify
 * of that project; an entrance credential is recorded on the entrance; the credential itself goes
 * in `vouchers` because Douyin records which credential was used.
 */
export function buildVerifyRequest(
  resolution: Resolution,
  verifyToken: string,
  scannedAtMs: number,
  windowPoiId: string | undefined,
): TripVerifyRequest {
  const request: TripVerifyRequest = {
    order_id: resolution.orderId,
    verify_token: verifyToken,
    verify_time: Math.floor(scannedAtMs / 1000),
  };
  const poi = resolution.poiId === null ? undefined : (windowPoiId ?? resolution.poiId);
  if (poi) request.poi_id = poi;
  if (resolution.part) {
    const part: VoucherPart = { project_id: resolution.part.projectId };
    const credential = resolution.credential;
    if (credential) {
      const field = CREDENTIAL_FIELD[credential.kind];
      if (field) part[field] = [credential.value];
      else part.credentials = [{ credential_no: credential.value, credential_type: 1 }];
    }
    request.vouchers = [resolution.part.isEntrance ? { entrance: part } : { projects: [part] }];
  }
  return request;
}
