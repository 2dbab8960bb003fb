import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionGrant } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';

/** Supervisor mode locks itself after this long without a supervisor call. */
const SUPERVISOR_IDLE_MS = 3 * 60_000;

/**
 * The one unlocked supervisor session, held in main's memory: a restart locks supervisor mode,
 * and the renderer holds only an opaque token. Expiry is checked (and pushed back) on every call.
 */
export class SupervisorSessions {
  private current: { token: string; expiresAt: number; staffNo: string } | null = null;

  constructor(
    private readonly now: () => number,
    private readonly idleMs = SUPERVISOR_IDLE_MS,
    private readonly onExpired?: () => void,
  ) {}

  /** Opens the session of the supervisor with this 工号 (the one the audit log then names). */
  open(staffNo: string): SessionGrant {
    this.current = { token: randomBytes(32).toString('base64url'), expiresAt: this.now() + this.idleMs, staffNo };
    return this.grant(this.current);
  }

  /** The 工号 of the supervisor whose session is open, if one is. */
  holder(): string | null {
    return this.current?.staffNo ?? null;
  }

  /** Throws 'unauthorized' unless the token is the live session's; a good call pushes expiry back. */
  check(token: string): SessionGrant {
    const session = this.current;
    if (!session || !sameToken(session.token, token)) {
      throw new RouteError('unauthorized', 'supervisor mode is locked', 'sup.error.sessionLocked');
    }
    if (this.now() >= session.expiresAt) {
      this.current = null;
      this.onExpired?.();
      throw new RouteError('unauthorized', 'supervisor session expired', 'sup.error.sessionExpired');
    }
    session.expiresAt = this.now() + this.idleMs;
    return this.grant(session);
  }

  end(): void {
    this.current = null;
  }

  private grant(session: { token: string; expiresAt: number }): SessionGrant {
    return { token: session.token, expiresAt: session.expiresAt, idleMs: this.idleMs };
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
