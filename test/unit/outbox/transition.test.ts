import { describe, expect, it } from 'vitest';
import type { VerifyOutcome } from '../../../electron/core/douyin/outcome';
import {
  MAX_COUNTED_TRIES,
  MAX_SCHEDULED_DELAY_MS,
  offlineDelayMs,
  OFFLINE_CAP_MS,
  retryDelayMs,
} from '../../../electron/core/outbox/backoff';
import { transition } from '../../../electron/core/outbox/transition';

const NOW = 1_800_000_000_000;
const mid = () => 0.5; // no jitter

const cases: [string, VerifyOutcome, { state: string; counted: boolean; pause?: boolean; slow?: boolean }][] = [
  ['verified', { kind: 'verified', verifyResults: [], alreadyVerified: false }, { state: 'verified', counted: false }],
  [
    'already verified on a retry',
    { kind: 'verified', verifyResults: [], alreadyVerified: true },
    { state: 'verified', counted: false },
  ],
  [
    'business refusal',
    { kind: 'rejected', description: 'x', subDescription: '', retryable: false, errorCode: 4000001 },
    { state: 'rejected', counted: false },
  ],
  [
    '3000001 (may be retried)',
    { kind: 'rejected', description: 'x', subDescription: '', retryable: true, errorCode: 3000001 },
    { state: 'queued', counted: true },
  ],
  [
    'Douyin busy',
    { kind: 'transient', reason: 'douyin_busy', reachedDouyin: true, message: '', errorCode: 2100004 },
    { state: 'queued', counted: true },
  ],
  [
    'HTTP 502',
    { kind: 'transient', reason: 'http_status', reachedDouyin: true, message: '', httpStatus: 502 },
    { state: 'queued', counted: true },
  ],
  [
    'no network',
    { kind: 'transient', reason: 'connect_refused', reachedDouyin: false, message: '' },
    { state: 'queued', counted: false },
  ],
  ['token still failing after one retry', { kind: 'token', errorCode: 2190008 }, { state: 'queued', counted: true }],
  ['2119003 too frequent', { kind: 'rate_limited', errorCode: 2119003 }, { state: 'queued', counted: false, slow: true }],
  [
    '2190004 capability missing',
    { kind: 'configuration', errorCode: 2190004 },
    { state: 'needs_attention', counted: false, pause: true },
  ],
  [
    '2119005 not authorised',
    { kind: 'configuration', errorCode: 2119005 },
    { state: 'needs_attention', counted: false, pause: true },
  ],
  ['2100005 invalid parameter', { kind: 'invalid_request', errorCode: 2100005 }, { state: 'needs_attention', counted: false }],
];

describe('outbox transitions', () => {
  it.each(cases)('%s', (_name, outcome, expected) => {
    const t = transition({ tries: 2 }, outcome, NOW, 1, mid);
    expect(t.state).toBe(expected.state);
    expect(t.tries).toBe(expected.counted ? 3 : 2);
    expect(Boolean(t.pauseQueue)).toBe(Boolean(expected.pause));
    expect(Boolean(t.slowDown)).toBe(Boolean(expected.slow));
    if (t.state === 'queued') expect(t.nextAttemptAt).toBeGreaterThan(NOW);
  });

  it('gives up to a person after the platform’s 14 counted tries', () => {
    const busy: VerifyOutcome = { kind: 'transient', reason: 'douyin_busy', reachedDouyin: true, message: '' };
    expect(transition({ tries: MAX_COUNTED_TRIES - 2 }, busy, NOW, 1, mid).state).toBe('queued');
    expect(transition({ tries: MAX_COUNTED_TRIES - 1 }, busy, NOW, 1, mid)).toMatchObject({
      state: 'needs_attention',
      tries: MAX_COUNTED_TRIES,
    });
  });

  it('never gives up on a dead network: unreached attempts are retried forever at a capped interval', () => {
    const down: VerifyOutcome = { kind: 'transient', reason: 'dns', reachedDouyin: false, message: '' };
    const t = transition({ tries: MAX_COUNTED_TRIES - 1 }, down, NOW, 500, mid);
    expect(t.state).toBe('queued');
    expect(t.nextAttemptAt - NOW).toBe(OFFLINE_CAP_MS);
  });

  it('records Douyin’s words for the supervisor', () => {
    const t = transition(
      { tries: 0 },
      { kind: 'rejected', description: '订单已退款', subDescription: '不可核销', retryable: false, errorCode: 4000002 },
      NOW,
      1,
    );
    expect(t.lastReason).toContain('4000002');
    expect(t.lastReason).toContain('订单已退款');
  });
});

describe('backoff', () => {
  it('follows the platform schedule: 5 s for the first five tries, then 40 s', () => {
    expect([1, 2, 3, 4, 5, 6, 14].map((n) => retryDelayMs(n, mid))).toEqual([5000, 5000, 5000, 5000, 5000, 40000, 40000]);
  });

  it('jitters by ±20 % and stays under the clock-jump guard', () => {
    expect(retryDelayMs(1, () => 0)).toBe(4000);
    expect(retryDelayMs(1, () => 1)).toBe(6000);
    expect(retryDelayMs(9, () => 1)).toBeLessThanOrEqual(MAX_SCHEDULED_DELAY_MS);
    expect(offlineDelayMs(99, () => 1)).toBeLessThanOrEqual(MAX_SCHEDULED_DELAY_MS);
  });

  it('probes a dead network ever less often, up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 10].map((n) => offlineDelayMs(n, mid));
    expect(delays).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
