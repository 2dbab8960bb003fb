import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import Database from 'better-sqlite3';

/**
 * Loaded with `--import` into the web app's process by the scan-ui bench, before the core starts:
 * timing marks of each `scan.submit` request, from its arrival to its answer written, with what
 * lies between (each SQLite transaction, each request to the sandbox). Nothing of the app is
 * changed: Node's own HTTP diagnostics channels, undici's, and a wrapper around better-sqlite3's
 * `transaction()` (every commit of the core goes through one). The marks are written, in ms, to
 * `BENCH_CORE_MARKS` when the process exits; the bench uses their differences only (the page's
 * clock is not the core's).
 */

export interface CoreMark {
  /** commit> / commit< : a transaction around its COMMIT; out> / in : a request to the sandbox and its answer read. */
  name: 'arrive' | 'commit>' | 'commit<' | 'out>' | 'sent' | 'in' | 'answered';
  at: number;
  path?: string;
}

const out = process.env.BENCH_CORE_MARKS;
const scans: CoreMark[][] = [];
let current: CoreMark[] | null = null;
const mark = (name: CoreMark['name'], path?: string) => current?.push({ name, at: performance.now(), ...(path ? { path } : {}) });

interface ServerMessage {
  request: { url?: string };
}
// One scan at a time: the bench waits for each answer before the next burst.
diagnostics.subscribe('http.server.request.start', (message) => {
  if (!(message as ServerMessage).request.url?.startsWith('/api/invoke/scan.submit')) return;
  current = [];
  scans.push(current);
  mark('arrive');
});
// The answer handed to the socket (res.end), not 'finish', which waits for the write's callback.
const end = ServerResponse.prototype.end as (...args: unknown[]) => ServerResponse;
ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
  if (this.req.url?.startsWith('/api/invoke/scan.submit') && current) {
    mark('answered');
    current = null;
  }
  return end.apply(this, args);
} as typeof ServerResponse.prototype.end;

interface UndiciMessage {
  request: { path: string };
}
const pathOf = (message: unknown) => (message as UndiciMessage).request.path.split('?')[0]!;
diagnostics.subscribe('undici:request:create', (message) => mark('out>', pathOf(message)));
diagnostics.subscribe('undici:request:bodySent', (message) => mark('sent', pathOf(message)));
diagnostics.subscribe('undici:request:trailers', (message) => mark('in', pathOf(message)));

const prototype = Database.prototype as unknown as { transaction: (fn: (...args: unknown[]) => unknown) => unknown };
const transaction = prototype.transaction;
// A transaction inside another commits with the outer one: only the outermost is marked.
let depth = 0;
prototype.transaction = function (this: unknown, fn) {
  const wrapped = transaction.call(this, fn) as ((...args: unknown[]) => unknown) & Record<string, unknown>;
  const timed = function (this: unknown, ...args: unknown[]) {
    if (depth++ === 0) mark('commit>');
    try {
      return wrapped.apply(this, args);
    } finally {
      if (--depth === 0) mark('commit<');
    }
  };
  return Object.assign(timed, { deferred: wrapped.deferred, immediate: wrapped.immediate, exclusive: wrapped.exclusive });
};

if (out) process.on('exit', () => writeFileSync(out, JSON.stringify(scans)));
