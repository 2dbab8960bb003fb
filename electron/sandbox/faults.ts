/** Ways the sandbox can misbehave on the verify endpoint, to exercise the client's handling. */
export type Fault =
  /** Answer this Douyin error code instead of processing. */
  | { kind: 'error_code'; errorCode: number; description?: string; subDescription?: string }
  /** Answer this HTTP status with an HTML body (a gateway error), without processing. */
  | { kind: 'http_status'; status: number }
  /** HTTP 200 with an HTML body, without processing. */
  | { kind: 'non_json' }
  /** Process, then answer a complete HTTP response whose JSON body is cut in half. */
  | { kind: 'truncated_json' }
  /**
   * Destroy the connection without answering. afterProcessing: the verification happened and
   * only the answer is lost — the case idempotent retries exist for.
   */
  | { kind: 'drop_before_answer'; afterProcessing: boolean }
  /** Process, send headers and half the body, then destroy the connection. */
  | { kind: 'drop_mid_body' }
  /**
   * Hold the request for `ms`. afterProcessing: Douyin did the work and the window waits for the
   * answer; otherwise the work waits too, and is never done if the window has gone meanwhile
   * (its connection closed). Either way a window SIGKILLed meanwhile never hears an answer.
   */
  | { kind: 'hold'; ms: number; afterProcessing: boolean };

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** FIFO of faults, each used for its next `times` verify requests. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(fault: Fault, times: number): void {
    if (times > 0) this.queue.push({ fault, remaining: times });
  }

  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue = [];
  }
}

/** Sliding one-second window over the sandbox clock. */
export class RateLimiter {
  private times: number[] = [];
  constructor(private perSecond: number | null) {}

  set(perSecond: number | null): void {
    this.perSecond = perSecond;
    this.times = [];
  }

  /** Records the request; false when it is over the limit. */
  allow(now: number): boolean {
    if (this.perSecond === null) return true;
    this.times = this.times.filter((t) => t > now - 1000);
    if (this.times.length >= this.perSecond) return false;
    this.times.push(now);
    return true;
  }
}
