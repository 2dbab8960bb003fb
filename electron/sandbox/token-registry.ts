import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';

/** Douyin: a token's predecessor stays valid this long after a newer token is issued. */
export const TOKEN_GRACE_MS = 5 * 60_000;
/** Douyin: more than this many client_token calls in 5 minutes answers 10020. */
const TOKEN_CALL_LIMIT = 500;
const TOKEN_CALL_WINDOW_MS = 5 * 60_000;

export type TokenCheck = 'valid' | 'unknown' | 'expired';

interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** The client_token rules: lifetime, only the two newest valid, grace for the older one. */
export class TokenRegistry {
  private readonly issued: IssuedToken[] = [];
  private readonly callTimes: number[] = [];
  private totalCalls = 0;

  constructor(
    private readonly now: Clock,
    private readonly lifetimeSeconds: number,
  ) {}

  /** Counts the call; returns undefined when it breaks the 500-per-5-minutes limit. */
  issue(): { token: string; expiresIn: number } | undefined {
    const t = this.now();
    this.totalCalls += 1;
    this.callTimes.push(t);
    while (this.callTimes.length > 0 && this.callTimes[0]! <= t - TOKEN_CALL_WINDOW_MS) this.callTimes.shift();
    if (this.callTimes.length > TOKEN_CALL_LIMIT) return undefined;
    const token = `clt.sandbox.${randomBytes(16).toString('hex')}`;
    this.issued.push({ token, issuedAt: t, expiresAt: t + this.lifetimeSeconds * 1000 });
    return { token, expiresIn: this.lifetimeSeconds };
  }

  check(token: string | undefined): TokenCheck {
    const index = token ? this.issued.findIndex((entry) => entry.token === token) : -1;
    const entry = this.issued[index];
    if (!entry) return 'unknown';
    const t = this.now();
    if (t >= entry.expiresAt) return 'expired';
    const newerCount = this.issued.length - 1 - index;
    if (newerCount === 0) return 'valid';
    if (newerCount === 1 && t < this.issued[index + 1]!.issuedAt + TOKEN_GRACE_MS) return 'valid';
    return 'expired';
  }

  /** Every token call since start, including refused ones. */
  get callCount(): number {
    return this.totalCalls;
  }
}
