import type { PrinterError, PrinterProblem, PrinterSetting, PrinterState, PrinterStatus } from '../../../shared/domain/printer';
import type { ScanAnswer } from '../../../shared/domain/scan';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import type { Desktop } from '../desktop';
import { loggerFor } from '../log';
import { jitter } from '../outbox/backoff';
import type { SettingsStore } from '../settings/store';
import { encodeSlip } from './escpos';
import { DEFAULT_TIMEOUTS, printOverNetwork, PrintFailure, probePrinter, type Timeouts } from './network-printer';
import { PrintJobs, type PrintJob } from './print-jobs';
import { layoutSlip, type Slip } from './slip';
import { slipHtml } from './slip-html';
import { printThroughSpooler } from './windows-spooler';

const log = loggerFor('printer');

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;
/** While idle, a network printer is asked how it is this often, so "out of paper" shows before the next slip. */
const PROBE_EVERY_MS = 60_000;

/** Verdicts a slip may be printed for: the visitor was let in, or will be once it syncs. */
const PRINTABLE = new Set(['verified', 'offline']);

export interface PrintDeskOptions {
  db: Db;
  settings: SettingsStore;
  desktop: Desktop;
  now: () => number;
  onStatus: (status: PrinterStatus) => void;
  timeouts?: Timeouts;
  probeEveryMs?: number;
  random?: () => number;
  /** Tests load a stand-in spooler; the app loads winspool.drv. */
  winspoolPath?: string;
}

const stateOf = (problem: PrinterProblem): PrinterState =>
  problem === 'unreachable' || problem === 'no_answer' ? 'offline' : problem === 'paper_out' ? 'paper_out' : 'error';

/**
 * Receipt printing, entirely behind the staff's answer: a slip is queued on disk once the answer
 * is out, and one loop prints the queue in order, one slip at a time, backing off (2 s doubling
 * to 1 min) while the printer is off, unreachable or out of paper. Nothing here is awaited by the
 * scan path, so a dead printer cannot delay or change an answer.
 */
export class PrintDesk {
  private readonly jobs: PrintJobs;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private state: PrinterState = 'unknown';
  private paperNearEnd: boolean | null = null;
  private lastError: PrinterError | null = null;
  private lastProbeAt = 0;
  private published = '';
  private readonly unsubscribe: () => void;
  private setting: PrinterSetting;

  constructor(private readonly options: PrintDeskOptions) {
    this.jobs = new PrintJobs(options.db);
    this.setting = options.settings.get().printer;
    this.unsubscribe = options.settings.subscribe((next) => {
      if (JSON.stringify(next.printer) === JSON.stringify(this.setting)) return;
      this.setting = next.printer;
      // Another printer or mode: what the old one said no longer holds; waiting slips go now.
      this.state = 'unknown';
      this.paperNearEnd = null;
      this.lastError = null;
      this.lastProbeAt = 0;
      this.jobs.makeDue(options.now());
      this.wake();
    });
  }

  start(): void {
    this.wake();
  }

  /** The staff's answer is out: a slip for it, if printing follows every admitted verify. */
  answered(answer: ScanAnswer): void {
    if (this.setting.mode !== 'after_verify' || !answer.admit || answer.scanId === null) return;
    this.jobs.add(answer.scanId, 'auto', '', this.options.now());
    this.wake();
  }

  /** A supervisor's "print slip" on a history row (a reprint is marked as one). */
  printScan(scanId: number, requestedBy: string): { jobId: number } {
    if (this.setting.mode === 'off') throw new RouteError('conflict', 'printing is off', 'printer_off');
    if (!this.setting.target) throw new RouteError('conflict', 'no printer is set', 'printer_not_configured');
    const scan = this.jobs.scan(scanId);
    if (!scan) throw new RouteError('not_found', `no scan ${scanId}`);
    if (!PRINTABLE.has(scan.verdict)) throw new RouteError('conflict', 'a refused scan has no slip', 'slip_not_printable');
    const jobId = this.jobs.add(scanId, 'manual', requestedBy, this.options.now());
    this.wake();
    return { jobId };
  }

  /** A test slip, printed even while printing is off, so a printer can be set up first. */
  testPrint(requestedBy: string): { jobId: number } {
    if (!this.setting.target) throw new RouteError('conflict', 'no printer is set', 'printer_not_configured');
    const jobId = this.jobs.add(null, 'test', requestedBy, this.options.now());
    this.jobs.makeDue(this.options.now());
    this.wake();
    return { jobId };
  }

  discardWaiting(): number {
    const discarded = this.jobs.discardWaiting();
    this.publish();
    return discarded;
  }

  status(): PrinterStatus {
    const waiting = this.jobs.waiting();
    const configured = this.setting.target !== undefined;
    return {
      mode: this.setting.mode,
      target: this.setting.target?.kind ?? null,
      state: this.setting.mode === 'off' && waiting.count === 0 ? 'off' : configured ? this.state : 'error',
      paperNearEnd: this.paperNearEnd,
      lastError:
        this.lastError ??
        (configured || this.setting.mode === 'off' ? null : { problem: 'not_configured', at: this.options.now() }),
      lastPrintedAt: this.jobs.lastPrintedAt(),
      waiting: waiting.count,
      nextAttemptAt: waiting.count > 0 ? waiting.nextAttemptAt : null,
    };
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.running ??= this.pump().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = this.options.now();
    const job = this.jobs.next(this.setting.mode !== 'off');
    const probeEvery = this.options.probeEveryMs ?? PROBE_EVERY_MS;
    const wait = job ? job.next_attempt_at - now : this.lastProbeAt + probeEvery - now;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(50, wait));
    this.timer.unref();
  }

  /** Prints every due slip in order; stops at the first that fails (the printer is down for all). */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const job = this.jobs.next(this.setting.mode !== 'off');
        if (!job) {
          await this.probeIfDue();
          return;
        }
        if (job.next_attempt_at > this.options.now()) return;
        if (!(await this.print(job))) return;
      }
    } catch (error) {
      // The disk, most likely: the loop comes round again on its timer.
      log.error('the print queue could not be worked', error);
    } finally {
      this.publish();
    }
  }

  private async print(job: PrintJob): Promise<boolean> {
    const { now } = this.options;
    const target = this.setting.target;
    const slip = job.scan_id === null ? this.testSlip() : this.slipOf(job);
    if (!slip) {
      // Its scan went with the history's retention: nothing left to print.
      this.jobs.printed(job, now());
      return true;
    }
    try {
      if (!target) throw new PrintFailure('not_configured', 'no printer is set');
      const blocks = layoutSlip(slip);
      if (target.kind === 'network') {
        const report = await printOverNetwork(target, encodeSlip(blocks), this.options.timeouts ?? DEFAULT_TIMEOUTS);
        this.paperNearEnd = report?.paperNearEnd ?? null;
      } else if (target.via === 'raw') {
        await printThroughSpooler(target.printerName, encodeSlip(blocks), this.options.winspoolPath);
      } else {
        await this.options.desktop.printSlip(await slipHtml(blocks), target.printerName);
      }
      this.jobs.printed(job, now());
      if (this.state !== 'ready') log.info(`slip printed (${target.kind}); the printer is ready`);
      this.state = 'ready';
      return true;
    } catch (error) {
      const failure = asFailure(error);
      const delay = jitter(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** job.tries), this.options.random);
      this.jobs.failed(job.id, `${failure.problem}: ${failure.message}`, now() + delay);
      this.noteFailure(failure);
      return false;
    }
  }

  private async probeIfDue(): Promise<void> {
    const target = this.setting.target;
    const probeEvery = this.options.probeEveryMs ?? PROBE_EVERY_MS;
    if (this.setting.mode === 'off' || target?.kind !== 'network' || this.options.now() < this.lastProbeAt + probeEvery) return;
    this.lastProbeAt = this.options.now();
    try {
      const report = await probePrinter(target, this.options.timeouts ?? DEFAULT_TIMEOUTS);
      this.paperNearEnd = report.paperNearEnd;
      this.state = 'ready';
    } catch (error) {
      const failure = asFailure(error);
      // A printer that does not answer status may still print: only a confirmed slip says so.
      if (failure.problem === 'no_answer' && !target.confirmByStatus) return;
      this.noteFailure(failure);
    }
  }

  private noteFailure(failure: PrintFailure): void {
    const state = stateOf(failure.problem);
    if (failure.report) this.paperNearEnd = failure.report.paperNearEnd;
    const same = this.lastError?.problem === failure.problem;
    if (!same || this.state !== state) log.warn(`printer: ${failure.problem} (${failure.message})`);
    this.state = state;
    // The same problem again keeps its first time: the status says since when it is wrong.
    if (!same || !this.lastError) {
      this.lastError = { problem: failure.problem, at: this.options.now(), detail: failure.message.slice(0, 300) };
    }
  }

  private slipOf(job: PrintJob): Slip | undefined {
    const scan = job.scan_id === null ? undefined : this.jobs.scan(job.scan_id);
    if (!scan) return undefined;
    const { spotName } = this.setting;
    return { ...scan, spotName, kind: job.kind, language: this.options.settings.get().language };
  }

  private testSlip(): Slip {
    const config = this.options.settings.get();
    return {
      spotName: this.setting.spotName,
      windowName: config.windowName,
      product: null,
      people: null,
      at: this.options.now(),
      operatorNo: '',
      orderId: null,
      verifyIds: [],
      kind: 'test',
      language: config.language,
    };
  }

  private publish(): void {
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.published) return;
    this.published = json;
    this.options.onStatus(status);
  }
}

function asFailure(error: unknown): PrintFailure {
  if (error instanceof PrintFailure) return error;
  if (error instanceof RouteError && error.code === 'not_available') return new PrintFailure('not_available', error.message);
  return new PrintFailure('print_failed', error instanceof Error ? error.message : String(error));
}
