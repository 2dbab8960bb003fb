import { derivedKey } from '../secrets/aes-gcm';

/** The key a page of voucher changes is sealed under for one window: only it and the hub know it. */
export const windowVoucherKey = (windowSecret: string): Buffer =>
  derivedKey(Buffer.from(windowSecret, 'base64url'), 'ticket-window hub voucher page v1');
