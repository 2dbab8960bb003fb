import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
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
/** What is stored for a PIN: never the PIN. */
export type PinHash = { hash: string; salt: string; params: string };

function derive(pin: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, params, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Every operator's PIN: a salted scrypt hash in the operators table, never the PIN. Wrong tries
 * are counted on disk per operator, so neither a restart nor a second window resets a lockout,
 * and one operator's lockout never locks another.
 */
export class PinVault {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async hash(pin: string): Promise<PinHash> {
    const salt = randomBytes(16);
    const hash = await derive(pin, salt, PARAMS);
    return { hash: hash.toString('base64'), salt: salt.toString('base64'), params: JSON.stringify(PARAMS) };
  }

  /** Until when this operator's PIN is refused, or null. */
  lockedUntil(operatorId: number): number | null {
    const until = this.row(operatorId)?.locked_until ?? null;
    return until !== null && until > this.now() ? until : null;
  }

  /** Resolves when the PIN is right; throws 'locked' during a lockout, 'unauthorized' when wrong. */
  async verify(operatorId: number, pin: string): Promise<void> {
    const row = this.row(operatorId);
    if (!row) throw new RouteError('not_found', 'no such operator', 'op.error.unknown');
    this.refuseWhileLocked(row.locked_until);
    const key = await derive(pin, Buffer.from(row.salt, 'base64'), row.params);
    const expected = Buffer.from(row.hash, 'base64');
    // Read again after the slow hash: a parallel guess may have locked us out meanwhile.
    this.refuseWhileLocked(this.row(operatorId)?.locked_until ?? null);
    if (key.length === expected.length && timingSafeEqual(key, expected)) {
      this.db.prepare('UPDATE operators SET failed = 0, locked_until = NULL WHERE id = ?').run(operatorId);
      return;
    }
    const failure = this.countFailure(operatorId);
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
  private countFailure(operatorId: number): UnlockFailure {
    return this.db.transaction((): UnlockFailure => {
      const { failed } = this.db
        .prepare('UPDATE operators SET failed = failed + 1 WHERE id = ? RETURNING failed')
        .get(operatorId) as {
        failed: number;
      };
      if (failed % MAX_WRONG_PINS !== 0) return { lockedOut: false, remaining: MAX_WRONG_PINS - (failed % MAX_WRONG_PINS) };
      const lockouts = failed / MAX_WRONG_PINS;
      const length = Math.min(MAX_LOCKOUT_MS, LOCKOUT_MS * 2 ** Math.min(lockouts - 1, 16));
      this.db.prepare('UPDATE operators SET locked_until = ? WHERE id = ?').run(this.now() + length, operatorId);
      return { lockedOut: true, remaining: 0 };
    })();
  }

  private row(operatorId: number): z.infer<typeof PinRow> | undefined {
    const raw = this.db.prepare('SELECT hash, salt, params, failed, locked_until FROM operators WHERE id = ?').get(operatorId);
    return raw === undefined ? undefined : PinRow.parse(raw);
  }
}
