import type { SafeStorage } from 'electron';
import type { SecretCodec } from '../core/secrets/store';

class SecretStorageUnavailable extends Error {
  override readonly name = 'SecretStorageUnavailable';
}

/**
 * safeStorage as the secret codec. On Linux without a keyring Electron falls back to a
 * hard-coded key ("basic_text"): that is plain text in disguise, so it is refused outside tests.
 */
export function safeStorageCodec(safeStorage: SafeStorage, platform: NodeJS.Platform): SecretCodec {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new SecretStorageUnavailable('the operating system offers no encryption for secrets (safeStorage)');
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      throw new SecretStorageUnavailable(
        'no keyring found: install and unlock gnome-keyring or KWallet so secrets are not stored in plain text',
      );
    }
  }
  return {
    name: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
