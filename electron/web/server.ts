import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';
import { contentTypeOf, resolveStaticFile } from '../core/security/static-files';
import { bodyLimitOf } from '../../shared/ipc/contract';
import { dispatch, type Routes } from '../core/dispatch';
import type { EventHub } from '../core/events';
import { log } from '../core/log';

/**
 * Cookies are per host, not per port: a browser keeps one cookie per name for 127.0.0.1, whatever
 * server set it. With one fixed name, signing in to a second instance (another data folder,
 * another port) overwrote the first one's cookie and locked that page out. One name per port
 * keeps each instance's session to itself.
 */
export function sessionCookieName(port: number): string {
  return `tw_session_${port}`;
}

export interface WebTransportOptions {
  routes: Routes;
  events: EventHub;
  /** The built renderer (vite build output). */
  staticDir: string;
  port?: number;
  /** Tests pass their own; a run otherwise gets a fresh random one. */
  secret?: string;
}

export interface WebTransport {
  url: string;
  /** The one URL to open: it carries the secret once, then the cookie does. */
  loginUrl: string;
  origin: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The same core routes as Electron's IPC, over HTTP on loopback, for development and browser
 * tests. Not an open door: loopback only, a per-run secret (URL once, then an HttpOnly cookie),
 * Host and Origin pinned to ourselves (DNS rebinding, CSRF), and request bodies capped.
 */
export async function startWebTransport(options: WebTransportOptions): Promise<WebTransport> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  let cookieName = '';
  let allowedHosts = new Set<string>();
  let origins = new Set<string>();
  const streams = new Set<ServerResponse>();
  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('[web] request failed', error);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 403, 'forbidden host');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return send(res, 403, 'forbidden origin');

    const url = new URL(req.url ?? '/', 'http://localhost');
    const login = url.searchParams.get('secret');
    if (login !== null && req.method === 'GET') {
      if (!sameSecret(login, secret)) return send(res, 401, 'wrong secret');
      // The secret leaves the address bar (and history) at once; from here the cookie carries it.
      res.setHeader('Set-Cookie', `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: '/' });
      return void res.end();
    }
    if (!sameSecret(readCookie(req, cookieName) ?? '', secret)) {
      return send(res, 401, 'Open the URL that `npm run start:web` printed. / 请打开 npm run start:web 打印的网址。');
    }

    if (url.pathname.startsWith('/api/invoke/')) {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      const channel = decodePath(url.pathname.slice('/api/invoke/'.length));
      if (channel === undefined) return refuseUnread(req, res, 400, 'bad escape in the path');
      // Judged before a byte of the body is read: the limit is the contract's, for real channels only.
      const limit = bodyLimitOf(channel);
      if (limit === undefined) return refuseUnread(req, res, 404, 'no such channel');
      const body = await readBody(req, limit);
      if (body === undefined) return refuseUnread(req, res, 413, 'request body too large');
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'body is not JSON' } });
      }
      return sendJson(res, 200, await dispatch(options.routes, channel, input));
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'GET only');
    return serveStatic(res, options.staticDir, url.pathname);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  cookieName = sessionCookieName(port);
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const base = `http://127.0.0.1:${port}`;

  return {
    url: `${base}/`,
    loginUrl: `${base}/?secret=${secret}`,
    origin: base,
    server,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveStatic(res: ServerResponse, root: string, pathname: string): Promise<void> {
  const file = resolveStaticFile(root, pathname);
  if (!file) return send(res, 404, 'not found');
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return send(res, 404, 'not found');
  }
  const type = contentTypeOf(file);
  const headers: Record<string, string> = { 'Content-Type': type };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  res.writeHead(200, headers);
  res.end(content);
}

function decodePath(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * Answers without reading the rest of the body, and closes the connection: draining it would
 * read an attacker's gigabyte anyway, and keep-alive would read it as the next request.
 */
function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.setHeader('Connection', 'close');
  send(res, status, text);
  res.once('finish', () => req.destroy());
}

/** The body, or undefined as soon as it is known to be over the limit (nothing more is read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
