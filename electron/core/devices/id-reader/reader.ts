import type { IdReaderKind, IdReaderStatus } from '../../../../shared/domain/devices';

export type { IdReaderError, IdReaderKind, IdReaderProblem, IdReaderStatus } from '../../../../shared/domain/devices';

/** Receives the ID number of each card placed, once per placement; nothing else of the card. */
export type IdNumberSink = (idNumber: string) => void;
export type StatusListener = (status: IdReaderStatus) => void;

export interface IdReader {
  readonly kind: IdReaderKind;
  start(): void;
  /** Stops polling and releases the device; resolves once no call into it is running. */
  stop(): Promise<void>;
  status(): IdReaderStatus;
}
