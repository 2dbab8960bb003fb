import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * How secrets are sealed at rest. In Electron this is safeStorage (DPAPI on Windows, the
 * keyring on Linux); main refuses to start a plain-text codec outside tests and web mode.
 */
export interface SecretCodec {
  /** Shown in logs and in settings; 'plain' marks the development-only codec. */
  readonly name: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export const secretNames = ['clientKey', 'clientSecret', 'clientSecretOrigin', 'tokenServiceUrl', 'idHashKey', 'payloadKey'] as const;
export type SecretName = (typeof secretNames)[number];
const SecretMap = z.partialRecord(z.enum(secretNames), z.string());

/** The secrets of one install, in one sealed file in the data folder. Lives in main only. */
export class SecretStore {
  private readonly file: string;
  private values: Partial<Record<SecretName, string>>;

  constructor(
    dataDir: string,
    private readonly codec: SecretCodec,
  ) {
    this.file = join(dataDir, 'secrets.sealed');
    this.values = existsSync(this.file) ? SecretMap.parse(JSON.parse(codec.decrypt(readFileSync(this.file)))) : {};
  }

  get codecName(): string {
    return this.codec.name;
  }

  get(name: SecretName): string | undefined {
    return this.values[name];
  }

  set(name: SecretName, value: string | undefined): void {
    this.setAll({ [name]: value });
  }

  /** Several secrets in one write, so a secret and what it is bound to never part on disk. */
  setAll(changes: Partial<Record<SecretName, string | undefined>>): void {
    const next = { ...this.values };
    for (const [name, value] of Object.entries(changes) as [SecretName, string | undefined][]) {
      if (value === undefined || value === '') delete next[name];
      else next[name] = value;
    }
    // Write then rename: a crash mid-write must not leave a half file that unseals to nothing.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.codec.encrypt(JSON.stringify(next)), { mode: 0o600 });
    renameSync(tmp, this.file);
    this.values = next;
  }
}

/** For tests and the development web mode only: the file is readable by whoever has the disk. */
export const plainCodec: SecretCodec = {
  name: 'plain',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
