import { join } from 'node:path';
import { formatWithOptions } from 'node:util';
import { redact } from './redact';
import { RotatingFile, type RotationLimits } from './rotating-file';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
  /** Starts writing to rotating files in `dir` (until then, and always, lines go to the console). */
  toFolder(dir: string): void;
}

const LOG_FOLDER = 'logs';
/** Five files of 1 MB: weeks of incidents at a gate, small enough to send to support. */
const DEFAULT_LIMITS: RotationLimits = { maxBytes: 1024 * 1024, maxFiles: 5 };

export const logDirOf = (dataDir: string): string => join(dataDir, LOG_FOLDER);

export function createLogger(options: { limits?: RotationLimits; echo?: boolean } = {}): Logger {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let file: RotatingFile | undefined;
  const write = (level: LogLevel, message: string, details: unknown[]) => {
    // Everything is redacted after formatting, so a secret nested in an error or an object is
    // caught the same way as one in the message.
    const text = redact(formatWithOptions({ depth: 6, breakLength: Infinity, colors: false }, message, ...details));
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text.replaceAll('\n', '\n    ')}\n`;
    if (options.echo !== false) process[level === 'info' ? 'stdout' : 'stderr'].write(line);
    file?.write(line);
  };
  return {
    info: (message, ...details) => write('info', message, details),
    warn: (message, ...details) => write('warn', message, details),
    error: (message, ...details) => write('error', message, details),
    toFolder(dir) {
      if (file?.dir !== dir) file = new RotatingFile(dir, limits);
    },
  };
}

/** The process's one log: the core, the web transport and Electron's main all write here. */
export const log = createLogger();

export type ModuleLogger = Pick<Logger, LogLevel>;

/**
 * The log as one module writes it: every line names its module, so support can follow the
 * queue, the database or the IPC guard through a day's file with one search.
 */
export function loggerFor(module: string, target: Pick<Logger, LogLevel> = log): ModuleLogger {
  const tag = `[${module}]`;
  return {
    info: (message, ...details) => target.info(`${tag} ${message}`, ...details),
    warn: (message, ...details) => target.warn(`${tag} ${message}`, ...details),
    error: (message, ...details) => target.error(`${tag} ${message}`, ...details),
  };
}
