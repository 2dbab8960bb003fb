import type { TripVerifyRequest } from '../douyin/schemas';
import type { Verifier } from '../outbox/worker';

/**
 * The worker's verifier, re-pointable: when a supervisor changes the credentials or the base URL
 * the new platform takes over at the next request, without restarting the worker or the app.
 */
export class VerifierLink implements Verifier {
  constructor(private current: Verifier) {}

  use(next: Verifier): void {
    this.current = next;
  }

  verify(request: TripVerifyRequest, options?: { signal?: AbortSignal }) {
    return this.current.verify(request, options);
  }
}
