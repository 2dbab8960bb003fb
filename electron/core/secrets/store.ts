import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loggerFor } from '../log';
import { syncFolder } from '../durable-fs';

const log = loggerFor('secrets');

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

export const secretNames = [
  'clientKey',
  'clientSecret',
  'clientSecretOrigin',
  'tokenServiceUrl',
  'idHashKey',
  'payloadKey',
  // The site hub pairing (issue 17): its address and this window's own credential.
  'hubUrl',
  'hubWindowId',
  'hubSecret',
] as const;
export type SecretName = (typeof secretNames)[number];
const SecretMap = z.partialRecord(z.enum(secretNames), z.string());

/** How the store was found at start: 'unreadable' (empty, damaged, sealed by another user) was moved aside. */
export type StoreState = 'ok' | 'missing' | 'unreadable';

/** The secrets of one install, in one sealed file in the data folder. Lives in main only. */
export class SecretStore {
  private readonly file: string;
  private values: Partial<Record<SecretName, string>>;
  readonly state: StoreState;

  constructor(
    private readonly dataDir: string,
    private readonly codec: SecretCodec,
    now: () => number,
  ) {
    this.file = join(dataDir, 'secrets.sealed');
    if (!existsSync(this.file)) {
      this.state = 'missing';
      this.values = {};
      return;
    }
    try {
      this.values = SecretMap.parse(JSON.parse(codec.decrypt(readFileSync(this.file))));
      this.state = 'ok';
    } catch (error) {
      // Refusing to start would stop the gate; starting over must not overwrite what support
      // may still open (another Windows user's DPAPI, a half-written file): keep it aside.
      const aside = `${this.file}.unreadable-${now()}`;
      renameSync(this.file, aside);
      log.error(`${this.file} cannot be read; kept as ${aside}`, error);
      this.values = {};
      this.state = 'unreadable';
    }
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
    // Write, fsync, rename, fsync the folder: after a power cut the file is the old one or the
    // new one, whole. Without the fsyncs the rename can reach the disk before the data does.
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, this.codec.encrypt(JSON.stringify(next)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    syncFolder(this.dataDir);
    this.values = next;
  }
}

/** For tests and the development web mode only: the file is readable by whoever has the disk. */
export const plainCodec: SecretCodec = {
  name: 'plain',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
