import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { AuthState } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';

export const MAX_WRONG_PINS = 5;
export const LOCKOUT_MS = 5 * 60_000;
const KEY_LENGTH = 32;
/** ~50 ms per guess here: slow enough that a stolen file does not give up a 6-digit PIN at once. */
const PARAMS = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;
const Params = z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int(), maxmem: z.number().int() });

const PinRow = z.object({
  hash: z.string(),
  salt: z.string(),
  params: z.string().transform((text) => Params.parse(JSON.parse(text))),
  failed: z.number().int(),
  locked_until: z.number().int().nullable(),
});

export type UnlockFailure = { lockedOut: boolean; remaining: number };

function derive(pin: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, params, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The supervisor PIN: a salted scrypt hash in the database, never the PIN. Wrong tries are
 * counted on disk, so neither a restart nor a second window resets the lockout.
 */
export class PinVault {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  state(): AuthState {
    const row = this.row();
    const lockedUntil = row?.locked_until != null && row.locked_until > this.now() ? row.locked_until : null;
    return { pinSet: row !== undefined, lockedUntil };
  }

  /** First run only; afterwards the PIN changes only from an unlocked session. */
  async setFirst(pin: string): Promise<void> {
    if (this.row()) throw new RouteError('conflict', 'a supervisor PIN is already set', 'sup.error.pinExists');
    await this.write(pin);
  }

  async change(pin: string): Promise<void> {
    await this.write(pin);
  }

  /** Resolves when the PIN is right; throws 'locked' during a lockout, 'unauthorized' when wrong. */
  async verify(pin: string): Promise<void> {
    const row = this.row();
    if (!row) throw new RouteError('not_found', 'no supervisor PIN is set', 'sup.error.noPin');
    this.refuseWhileLocked(row.locked_until);
    const key = await derive(pin, Buffer.from(row.salt, 'base64'), row.params);
    const expected = Buffer.from(row.hash, 'base64');
    // Read again after the slow hash: a parallel guess may have locked us out meanwhile.
    this.refuseWhileLocked(this.row()?.locked_until ?? null);
    if (key.length === expected.length && timingSafeEqual(key, expected)) {
      this.db.prepare('UPDATE supervisor_pin SET failed = 0, locked_until = NULL WHERE id = 1').run();
      return;
    }
    const failure = this.countFailure();
    if (failure.lockedOut) throw new RouteError('locked', 'too many wrong PINs', 'sup.error.lockedOut');
    throw new RouteError('unauthorized', `wrong PIN, ${failure.remaining} tries left`, 'sup.error.wrongPin');
  }

  private refuseWhileLocked(lockedUntil: number | null): void {
    if (lockedUntil !== null && lockedUntil > this.now()) {
      throw new RouteError('locked', 'too many wrong PINs; wait for the lock to end', 'sup.error.lockedOut');
    }
  }

  private countFailure(): UnlockFailure {
    return this.db.transaction((): UnlockFailure => {
      const { failed } = this.db.prepare('UPDATE supervisor_pin SET failed = failed + 1 WHERE id = 1 RETURNING failed').get() as {
        failed: number;
      };
      if (failed < MAX_WRONG_PINS) return { lockedOut: false, remaining: MAX_WRONG_PINS - failed };
      this.db.prepare('UPDATE supervisor_pin SET failed = 0, locked_until = ? WHERE id = 1').run(this.now() + LOCKOUT_MS);
      return { lockedOut: true, remaining: 0 };
    })();
  }

  private async write(pin: string): Promise<void> {
    const salt = randomBytes(16);
    const hash = await derive(pin, salt, PARAMS);
    this.db
      .prepare(
        `INSERT INTO supervisor_pin (id, hash, salt, params, failed, locked_until, updated_at) VALUES (1, @hash, @salt, @params, 0, NULL, @now)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params,
           failed = 0, locked_until = NULL, updated_at = excluded.updated_at`,
      )
      .run({ hash: hash.toString('base64'), salt: salt.toString('base64'), params: JSON.stringify(PARAMS), now: this.now() });
  }

  private row(): z.infer<typeof PinRow> | undefined {
    const raw = this.db.prepare('SELECT hash, salt, params, failed, locked_until FROM supervisor_pin WHERE id = 1').get();
    return raw === undefined ? undefined : PinRow.parse(raw);
  }
}
