import { createHmac, randomBytes } from 'node:crypto';
import type { SecretStore } from '../secrets/store';

export type CredentialKeyer = (kind: 'id_card' | 'code' | 'order_id', value: string) => string;

/**
 * The key under which a scanned credential is indexed and compared. ID numbers become an HMAC
 * with a per-install key (kept in the secret store), so the database never holds them in clear
 * and a stolen database cannot be matched against a list of ID numbers without the key.
 */
export function createCredentialKeyer(secrets: SecretStore): CredentialKeyer {
  let key = secrets.get('idHashKey');
  if (key === undefined) {
    key = randomBytes(32).toString('base64');
    secrets.set('idHashKey', key);
  }
  const hmacKey = Buffer.from(key, 'base64');
  return (kind, value) => {
    if (kind === 'id_card') return `id:${createHmac('sha256', hmacKey).update(value.toUpperCase()).digest('base64url')}`;
    return kind === 'order_id' ? `order:${value}` : `code:${value}`;
  };
}
