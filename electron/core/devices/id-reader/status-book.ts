import type { IdReaderError, IdReaderKind, IdReaderProblem, IdReaderStatus, StatusListener } from './reader';

/** One adapter's live status; tells the listener only when something changed. */
export class StatusBook {
  private current: IdReaderStatus;

  constructor(
    kind: IdReaderKind,
    private readonly onChange: StatusListener = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.current = { kind, connected: null, cardPresent: null, lastReadAt: null, lastError: null };
  }

  get(): IdReaderStatus {
    return this.current;
  }

  update(patch: Partial<Omit<IdReaderStatus, 'kind'>>): void {
    const next = { ...this.current, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.onChange(next);
  }

  /** The same problem again keeps its first time, so the status says since when it is wrong. */
  fail(problem: IdReaderProblem, detail?: string, patch: Partial<Omit<IdReaderStatus, 'kind' | 'lastError'>> = {}): void {
    const same = this.current.lastError?.problem === problem && this.current.lastError.detail === detail;
    const lastError: IdReaderError =
      same && this.current.lastError ? this.current.lastError : { problem, at: this.now(), ...(detail ? { detail } : {}) };
    this.update({ ...patch, lastError });
  }

  read(): void {
    this.update({ connected: true, cardPresent: true, lastReadAt: this.now(), lastError: null });
  }
}
