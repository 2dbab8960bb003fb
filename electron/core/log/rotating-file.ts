import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RotationLimits {
  maxBytes: number;
  maxFiles: number;
}

const LOG_FILE = 'ticket-window.log';

/**
 * Appends lines to `<dir>/ticket-window.log`, keeping at most `maxFiles` files of about
 * `maxBytes` each (ticket-window.1.log is the newest old one). Writes are synchronous so the
 * line before a crash is on disk; a log that cannot be written never takes the app down.
 */
export class RotatingFile {
  private size: number | undefined;
  private broken = false;

  constructor(
    readonly dir: string,
    private readonly limits: RotationLimits,
  ) {}

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    try {
      // The folder appears with the first line, not with the logger: no empty folders in data dirs.
      if (this.size === undefined) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.size = Math.max(0, sizeOf(this.path(0)));
      }
      if (this.size > 0 && this.size + bytes > this.limits.maxBytes) this.rotate();
      appendFileSync(this.path(0), line, { mode: 0o600 });
      this.size += bytes;
      this.broken = false;
    } catch (error) {
      // The log cannot log its own failure: say it once per outage on stderr, not once per line.
      if (!this.broken) process.stderr.write(`[log] cannot write to ${this.dir}: ${(error as Error).message}\n`);
      this.broken = true;
    }
  }

  private rotate(): void {
    rmSync(this.path(this.limits.maxFiles - 1), { force: true });
    for (let i = this.limits.maxFiles - 2; i >= 0; i--) {
      if (sizeOf(this.path(i)) >= 0) renameSync(this.path(i), this.path(i + 1));
    }
    this.size = 0;
  }

  private path(index: number): string {
    return join(this.dir, index === 0 ? LOG_FILE : LOG_FILE.replace(/\.log$/, `.${index}.log`));
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}
