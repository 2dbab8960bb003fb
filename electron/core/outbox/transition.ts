import type { OutboxState } from '../../../shared/domain/scan';
import type { VerifyOutcome } from '../douyin/outcome';
import { MAX_COUNTED_TRIES, offlineDelayMs, retryDelayMs, jitter } from './backoff';

export interface Transition {
  state: OutboxState;
  tries: number;
  nextAttemptAt: number;
  lastReason: string | null;
  /** The whole queue must stop: the app is not allowed to verify (2190004, 2119005). */
  pauseQueue?: boolean;
  /** The queue must slow down (2119003). */
  slowDown?: boolean;
}

const RATE_LIMITED_DELAY_MS = 5_000;

/**
 * What one attempt's outcome does to its outbox item. Pure, so every rule of the platform's
 * error table is pinned by a table test.
 * @param offlineStreak attempts in a row (this one included) that never reached Douyin.
 */
export function transition(
  item: { tries: number },
  outcome: VerifyOutcome,
  now: number,
  offlineStreak: number,
  random?: () => number,
): Transition {
  const reason = describe(outcome);
  switch (outcome.kind) {
    case 'verified':
      return { state: 'verified', tries: item.tries, nextAttemptAt: now, lastReason: null };
    case 'rejected':
      if (!outcome.retryable) return { state: 'rejected', tries: item.tries, nextAttemptAt: now, lastReason: reason };
      return counted(item.tries, now, reason, random);
    case 'transient':
      if (!outcome.reachedDouyin) {
        return {
          state: 'queued',
          tries: item.tries,
          nextAttemptAt: now + offlineDelayMs(offlineStreak, random),
          lastReason: reason,
        };
      }
      return counted(item.tries, now, reason, random);
    case 'token':
      return counted(item.tries, now, reason, random);
    case 'rate_limited':
      return {
        state: 'queued',
        tries: item.tries,
        nextAttemptAt: now + jitter(RATE_LIMITED_DELAY_MS, random),
        lastReason: reason,
        slowDown: true,
      };
    case 'configuration':
      return { state: 'needs_attention', tries: item.tries, nextAttemptAt: now, lastReason: reason, pauseQueue: true };
    case 'invalid_request':
      return { state: 'needs_attention', tries: item.tries, nextAttemptAt: now, lastReason: reason };
  }
}

function counted(tries: number, now: number, reason: string, random?: () => number): Transition {
  const next = tries + 1;
  if (next >= MAX_COUNTED_TRIES) return { state: 'needs_attention', tries: next, nextAttemptAt: now, lastReason: reason };
  return { state: 'queued', tries: next, nextAttemptAt: now + retryDelayMs(next, random), lastReason: reason };
}

/** A short line for the supervisor's queue view: the class, the code and Douyin's own words. */
export function describe(outcome: VerifyOutcome): string {
  const parts: string[] = [outcome.kind];
  if (outcome.kind === 'transient') parts.push(outcome.reason);
  if (outcome.errorCode !== undefined) parts.push(String(outcome.errorCode));
  if (outcome.httpStatus !== undefined && outcome.httpStatus !== 200) parts.push(`HTTP ${outcome.httpStatus}`);
  const words = [outcome.description, outcome.subDescription].filter(Boolean).join(' / ');
  if (words) parts.push(words);
  return parts.join(' · ').slice(0, 500);
}
