import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loggerFor } from '../log';
import { writeFileDurably } from '../durable-fs';

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

const secretNames = [
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

/**
 * The codec as the core's own process has it: safeStorage stays in Electron's main, so every
 * seal and unseal is a request over the host protocol (electron/core/host).
 */
export interface RemoteSecretCodec {
  readonly name: string;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

type Values = Partial<Record<SecretName, string>>;

/** The secrets of one install, in one sealed file in the data folder. Never in the renderer. */
export class SecretStore {
  private readonly file: string;
  /** Writes through a remote codec, in order; `written()` waits for them. */
  private writing: Promise<void> = Promise.resolve();
  private writeFailure: unknown;

  private constructor(
    dataDir: string,
    private readonly codec: SecretCodec | RemoteSecretCodec,
    private values: Values,
    readonly state: StoreState,
  ) {
    this.file = secretsFileOf(dataDir);
  }

  static async open(dataDir: string, codec: SecretCodec | RemoteSecretCodec, now: () => number): Promise<SecretStore> {
    const file = secretsFileOf(dataDir);
    if (!existsSync(file)) return new SecretStore(dataDir, codec, {}, 'missing');
    try {
      const values = SecretMap.parse(JSON.parse(await codec.decrypt(readFileSync(file))));
      return new SecretStore(dataDir, codec, values, 'ok');
    } catch (error) {
      // Refusing to start would stop the gate; starting over must not overwrite what support
      // may still open (another Windows user's DPAPI, a half-written file): keep it aside.
      const aside = `${file}.unreadable-${now()}`;
      renameSync(file, aside);
      log.error(`${file} cannot be read; kept as ${aside}`, error);
      return new SecretStore(dataDir, codec, {}, 'unreadable');
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
    const sealed = this.codec.encrypt(JSON.stringify(next));
    if (!(sealed instanceof Promise)) {
      this.write(sealed);
      this.values = next;
      return;
    }
    this.values = next;
    // A remote codec answers later: the new values serve at once, and the host answers the
    // caller only after written(), so nobody is told "saved" before the file is on disk.
    this.writing = this.writing
      .then(() => sealed.then((bytes) => this.write(bytes)))
      .catch((error: unknown) => {
        this.writeFailure = error;
        log.error(`${this.file} could not be written`, error);
      });
  }

  /** Resolves once every change so far is on disk; rejects (once) if one of them was not. */
  async written(): Promise<void> {
    await this.writing;
    const failure = this.writeFailure;
    this.writeFailure = undefined;
    if (failure !== undefined) throw failure;
  }

  private write(sealed: Buffer): void {
    writeFileDurably(this.file, sealed);
  }
}

const secretsFileOf = (dataDir: string) => join(dataDir, 'secrets.sealed');

/** For tests and the development web mode only: the file is readable by whoever has the disk. */
export const plainCodec: SecretCodec = {
  name: 'plain',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
