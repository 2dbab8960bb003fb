import { randomBytes } from 'node:crypto';
import { maskIdNumber } from '../../../shared/scan/parse';
import { parseJsonKeepingInt64 } from '../douyin/int64-json';
import type { TripVerifyRequest, VoucherPart } from '../douyin/schemas';
import { openText, sealText } from './aes-gcm';
import type { SecretStore } from './store';

const PREFIX = 'sealed:v1:';

/**
 * ID numbers inside queued requests. A request that records an ID card must carry the number
 * until Douyin has it, so it rests sealed (AES-256-GCM, key in the secret store, itself sealed
 * by safeStorage); it is opened only in memory to send, and masked for good once the request is
 * done, so history keeps no ID number in any form that can be opened again.
 */
export class IdSealer {
  private readonly key: Buffer;

  constructor(secrets: SecretStore) {
    let key = secrets.get('payloadKey');
    if (key === undefined) {
      key = randomBytes(32).toString('base64');
      secrets.set('payloadKey', key);
    }
    this.key = Buffer.from(key, 'base64');
  }

  seal(request: TripVerifyRequest): TripVerifyRequest {
    return mapIdCards(request, (id) => (id.startsWith(PREFIX) ? id : this.encrypt(id)));
  }

  open(request: TripVerifyRequest): TripVerifyRequest {
    return mapIdCards(request, (id) => (id.startsWith(PREFIX) ? this.decrypt(id) : id));
  }

  /** Whether every sealed number in this stored request opens with this install's key. */
  canOpen(stored: string): boolean {
    try {
      this.open(parseJsonKeepingInt64(stored) as TripVerifyRequest);
      return true;
    } catch {
      return false;
    }
  }

  /** For a request that is finished: the number becomes its mask, which cannot be opened. */
  wipe(request: TripVerifyRequest): TripVerifyRequest {
    return mapIdCards(request, (id) => maskIdNumber(id.startsWith(PREFIX) ? this.decrypt(id) : id));
  }

  private encrypt(plain: string): string {
    return PREFIX + sealText(this.key, plain);
  }

  private decrypt(sealed: string): string {
    return openText(this.key, sealed.slice(PREFIX.length));
  }
}

function mapIdCards(request: TripVerifyRequest, f: (id: string) => string): TripVerifyRequest {
  if (!request.vouchers) return request;
  const part = (p: VoucherPart | undefined) => (p?.id_cards ? { ...p, id_cards: p.id_cards.map(f) } : p);
  return {
    ...request,
    vouchers: request.vouchers.map((v) => ({
      ...v,
      ...(v.entrance ? { entrance: part(v.entrance) } : {}),
      ...(v.projects ? { projects: v.projects.map((p) => part(p)!) } : {}),
    })),
  };
}
