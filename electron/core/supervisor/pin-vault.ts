import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { AuthState } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';

const MAX_WRONG_PINS = 5;
export const LOCKOUT_MS = 5 * 60_000;
/** Each further lockout in a row doubles, up to this: a patient guesser gains nothing by waiting. */
const MAX_LOCKOUT_MS = 4 * 60 * 60_000;
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
    const exists = () => new RouteError('conflict', 'a supervisor PIN is already set', 'sup.error.pinExists');
    if (this.row()) throw exists();
    // Two first-run calls can both pass the check above during the slow hash: the insert that
    // refuses an existing row decides, so exactly one wins.
    if (!(await this.write(pin, 'first'))) throw exists();
  }

  async change(pin: string): Promise<void> {
    await this.write(pin, 'replace');
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

  /**
   * Wrong tries keep counting across lockouts until the right PIN is typed: every fifth locks,
   * and each lockout in a row lasts twice the one before (5, 10, 20 minutes … up to 4 hours).
   */
  private countFailure(): UnlockFailure {
    return this.db.transaction((): UnlockFailure => {
      const { failed } = this.db.prepare('UPDATE supervisor_pin SET failed = failed + 1 WHERE id = 1 RETURNING failed').get() as {
        failed: number;
      };
      if (failed % MAX_WRONG_PINS !== 0) return { lockedOut: false, remaining: MAX_WRONG_PINS - (failed % MAX_WRONG_PINS) };
      const lockouts = failed / MAX_WRONG_PINS;
      const length = Math.min(MAX_LOCKOUT_MS, LOCKOUT_MS * 2 ** Math.min(lockouts - 1, 16));
      this.db.prepare('UPDATE supervisor_pin SET locked_until = ? WHERE id = 1').run(this.now() + length);
      return { lockedOut: true, remaining: 0 };
    })();
  }

  /** Whether the PIN was written: a 'first' write never replaces one that exists. */
  private async write(pin: string, mode: 'first' | 'replace'): Promise<boolean> {
    const salt = randomBytes(16);
    const hash = await derive(pin, salt, PARAMS);
    const onConflict =
      mode === 'first'
        ? 'DO NOTHING'
        : `DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params,
           failed = 0, locked_until = NULL, updated_at = excluded.updated_at`;
    const done = this.db
      .prepare(
        `INSERT INTO supervisor_pin (id, hash, salt, params, failed, locked_until, updated_at) VALUES (1, @hash, @salt, @params, 0, NULL, @now)
         ON CONFLICT (id) ${onConflict}`,
      )
      .run({ hash: hash.toString('base64'), salt: salt.toString('base64'), params: JSON.stringify(PARAMS), now: this.now() });
    return done.changes === 1;
  }

  private row(): z.infer<typeof PinRow> | undefined {
    const raw = this.db.prepare('SELECT hash, salt, params, failed, locked_until FROM supervisor_pin WHERE id = 1').get();
    return raw === undefined ? undefined : PinRow.parse(raw);
  }
}
