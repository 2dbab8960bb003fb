import { connect, type Socket } from 'node:net';
import type { PrinterProblem } from '../../../shared/domain/printer';
import { isStatusByte, readStatus, STATUS_REQUEST, type PrinterReport } from './escpos';

export interface NetworkTarget {
  host: string;
  port: number;
  confirmByStatus: boolean;
}

export interface Timeouts {
  connectMs: number;
  /** How long a status answer may take; a printer answers DLE EOT within milliseconds. */
  answerMs: number;
  /** How long the slip's bytes may take to leave once written (a printer that stopped reading). */
  writeMs: number;
  /** How long a Windows printer's whole RAW job may take in the spooler (a share whose server stalls). */
  spoolMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 3000, answerMs: 2000, writeMs: 10_000, spoolMs: 15_000 };

/** A try that failed, with the reason the status shows. */
export class PrintFailure extends Error {
  constructor(
    readonly problem: PrinterProblem,
    message: string,
    readonly report?: PrinterReport,
  ) {
    super(message);
  }
}

/** A connection and the bytes it has received but not yet consumed (status answers). */
class Session {
  private received: number[] = [];
  private wanted: { count: number; done: (bytes: number[]) => void } | undefined;
  private failed: Error | undefined;
  private onFail: ((error: Error) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...chunk);
      this.deliver();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the printer closed the connection')));
  }

  static open(target: NetworkTarget, timeouts: Timeouts): Promise<Session> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PrintFailure('unreachable', `no connection to ${target.host}:${target.port} within ${timeouts.connectMs} ms`));
      }, timeouts.connectMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new Session(socket));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new PrintFailure('unreachable', `${target.host}:${target.port}: ${error.code ?? error.message}`));
      });
    });
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.onFail?.(this.failed);
  }

  private deliver(): void {
    if (!this.wanted || this.received.length < this.wanted.count) return;
    const { count, done } = this.wanted;
    this.wanted = undefined;
    done(this.received.splice(0, count));
  }

  /** Writes `bytes` and waits until the kernel took them all (bounded). */
  write(bytes: Buffer, ms: number): Promise<void> {
    return this.bounded(ms, 'the printer stopped taking data', (resolve) => {
      if (this.socket.write(bytes)) resolve();
      else this.socket.once('drain', () => resolve());
    });
  }

  /** Asks the printer's three status bytes and reads its answer. */
  async status(ms: number): Promise<PrinterReport> {
    const request = Buffer.concat([STATUS_REQUEST.printer, STATUS_REQUEST.offline, STATUS_REQUEST.paper]);
    await this.write(request, ms);
    const answer = await this.bounded<number[]>(ms, 'the printer did not answer its status request', (resolve) => {
      this.wanted = { count: 3, done: resolve };
      this.deliver();
    });
    if (!answer.every(isStatusByte)) {
      throw new PrintFailure('no_answer', `not a status answer: ${Buffer.from(answer).toString('hex')}`);
    }
    const [printer, offline, paper] = answer as [number, number, number];
    return readStatus(printer, offline, paper);
  }

  /**
   * Half-closes after the last byte and gives the printer a moment to close its side; one that
   * keeps it open has still been given the slip.
   */
  finish(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    }).finally(() => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  private bounded<T>(ms: number, message: string, start: (resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failed) {
        reject(new PrintFailure('no_answer', this.failed.message));
        return;
      }
      const timer = setTimeout(() => reject(new PrintFailure('no_answer', `${message} within ${ms} ms`)), ms);
      this.onFail = (error) => {
        clearTimeout(timer);
        reject(new PrintFailure('no_answer', error.message));
      };
      start((value) => {
        clearTimeout(timer);
        this.onFail = undefined;
        resolve(value);
      });
    });
  }
}

/** A status that stops printing: the slip waits rather than print on nothing. */
function refusal(report: PrinterReport): PrintFailure | undefined {
  if (report.paperOut) return new PrintFailure('paper_out', 'the printer reports no paper', report);
  if (report.coverOpen) return new PrintFailure('cover_open', 'the printer cover is open', report);
  if (report.error || report.offline) return new PrintFailure('printer_error', 'the printer reports an error or offline', report);
  return undefined;
}

/**
 * Asks a network ESC/POS printer (raw TCP, usually port 9100) how it is, without printing. A
 * printer that does not answer status is reported as such; it may still print.
 */
export async function probePrinter(target: NetworkTarget, timeouts: Timeouts = DEFAULT_TIMEOUTS): Promise<PrinterReport> {
  const session = await Session.open(target, timeouts);
  try {
    const report = await session.status(timeouts.answerMs);
    const refused = refusal(report);
    if (refused) throw refused;
    return report;
  } finally {
    session.destroy();
  }
}

/**
 * Sends one slip. With confirmByStatus the printer's status is read before (no paper: the slip
 * is not sent) and after it: DLE EOT is executed as the printer reads it, so an answer behind the
 * slip means the printer has read the whole slip. A printer that accepted the connection and
 * never reads gets no slip counted: the caller tries again later on a new connection.
 */
export async function printOverNetwork(
  target: NetworkTarget,
  bytes: Buffer,
  timeouts: Timeouts = DEFAULT_TIMEOUTS,
): Promise<PrinterReport | null> {
  const session = await Session.open(target, timeouts);
  try {
    if (!target.confirmByStatus) {
      await session.write(bytes, timeouts.writeMs);
      await session.finish(timeouts.writeMs);
      return null;
    }
    const before = await session.status(timeouts.answerMs);
    const refused = refusal(before);
    if (refused) throw refused;
    await session.write(bytes, timeouts.writeMs);
    // The paper may run out on this very slip: it is then printed again once paper is loaded.
    const after = await session.status(timeouts.writeMs);
    const stopped = refusal(after);
    if (stopped) throw stopped;
    await session.finish(timeouts.answerMs);
    return after;
  } finally {
    session.destroy();
  }
}
