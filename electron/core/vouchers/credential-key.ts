import { createHmac, randomBytes } from 'node:crypto';
import type { SecretStore } from '../secrets/store';

type CredentialKind = 'id_card' | 'code' | 'order_id';

export interface CredentialKeyer {
  /** The key under which a credential is indexed and compared by the duplicate-scan guard. */
  (kind: CredentialKind, value: string): string;
  /** A keyed digest of any text that may hold personal data (an imported order line). */
  digest(text: string): string;
}

/**
 * ID numbers become an HMAC with a per-install key (kept in the secret store), so the database
 * never holds them in clear, and a stolen database cannot be matched against a list of ID
 * numbers without the key.
 */
export function createCredentialKeyer(secrets: SecretStore): CredentialKeyer {
  let key = secrets.get('idHashKey');
  if (key === undefined) {
    key = randomBytes(32).toString('base64');
    secrets.set('idHashKey', key);
  }
  const hmacKey = Buffer.from(key, 'base64');
  const digest = (text: string) => createHmac('sha256', hmacKey).update(text).digest('base64url');
  const keyer = (kind: CredentialKind, value: string) => {
    if (kind === 'id_card') return `id:${digest(value.toUpperCase())}`;
    return kind === 'order_id' ? `order:${value}` : `code:${value}`;
  };
  return Object.assign(keyer, { digest });
}
