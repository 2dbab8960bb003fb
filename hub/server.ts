import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { z } from 'zod';
import { claimRequestSchema, historyPushRequestSchema, holderRequestSchema, pairRequestSchema } from '../shared/hub/protocol';
import { businessDate } from '../shared/time';
import { sameSecret } from '../electron/core/hub/signature';
import { adminPage, loginPage, type AdminLang } from './admin-page';
import { ClaimBatcher } from './claim-batch';
import { claimTicket, holderOf, releaseTicket } from './claims';
import type { Db } from './db';
import { createPairingCode, pairWindow, revokeWindow } from './pairing';
import { HubRefusal, unauthorized } from './refusal';
import { applyHistory } from './history';
import { processStats } from './process-stats';
import { fleetBodyLimit, fleetRoute, type FleetAnswer } from './fleet-routes';
import { fleetView } from './fleet-page';
import { voucherKeys, type VoucherKeys } from './vouchers';
import { siteReport } from './report';
import type { SiteToken } from './site-token';
import { WindowAuth, type AuthedWindow } from './window-auth';

const MAX_BODY_BYTES = 1024 * 1024;
const ADMIN_COOKIE = 'hub_admin';

export interface HubServerOptions {
  db: Db;
  /** History batches hold a connection for several statements: their own pool, so claims never queue behind them. */
  historyDb?: Db;
  siteToken: SiteToken;
  /** Seal voucher orders at rest; `npm run hub` passes the configured key (default: from the admin token). */
  voucherKeys?: VoucherKeys;
  adminToken: string;
  host?: string;
  port?: number;
  tls?: { cert: Buffer; key: Buffer };
  log?: (message: string) => void;
}

export interface HubServer {
  url: string;
  close(): Promise<void>;
}

interface Call {
  method: string;
  path: string;
  /** Path and query as sent: what the window signed. */
  target: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  stream: IncomingMessage;
}

type Answer =
  | { status: number; json?: unknown; html?: string; headers?: Record<string, string> }
  | (FleetAnswer & { headers?: Record<string, string> });

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HubRefusal(413, 'too_large', '请求过大', 'Request too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson<S extends z.ZodType>(schema: S, body: Buffer): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HubRefusal(400, 'bad_json', '请求不是有效的 JSON', 'The request is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HubRefusal(400, 'bad_request', `请求内容无效：${parsed.error.message}`, `Invalid request: ${parsed.error.message}`);
  }
  return parsed.data;
}

const adminCookieValue = (token: string) => createHash('sha256').update(`hub-admin:${token}`).digest('base64url');

function cookie(headers: IncomingMessage['headers'], name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const { db, siteToken } = options;
  const historyDb = options.historyDb ?? db;
  const stats = processStats(historyDb === db ? { db } : { claims: db, history: historyDb });
  const log = options.log ?? (() => undefined);
  const isAdmin = (call: Call) => {
    const bearer = call.headers.authorization?.replace(/^Bearer /, '');
    if (bearer !== undefined && sameSecret(bearer, options.adminToken)) return true;
    const fromCookie = cookie(call.headers, ADMIN_COOKIE);
    return fromCookie !== undefined && sameSecret(fromCookie, adminCookieValue(options.adminToken));
  };
  const requireAdmin = (call: Call) => {
    if (!isAdmin(call)) throw unauthorized('admin_only', '需要管理员口令', 'Admin password required');
  };
  const auth = new WindowAuth(db, log);
  const claims = new ClaimBatcher(db);
  const signed = (call: Call): Promise<AuthedWindow> => auth.authenticate({ ...call, path: call.target });
  const lang = (call: Call): AdminLang => (call.query.get('lang') === 'en' ? 'en' : 'zh-CN');
  const back = (call: Call): Answer => ({ status: 303, headers: { location: `/admin?lang=${lang(call)}` } });
  const today = (call: Call) => {
    const day = call.query.get('day') ?? businessDate(Date.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new HubRefusal(400, 'bad_day', '日期格式应为 YYYY-MM-DD', 'Day must be YYYY-MM-DD');
    return day;
  };

  const fleet = {
    db,
    auth,
    voucherKeys: options.voucherKeys ?? voucherKeys(options.adminToken),
    requireAdmin,
    signed,
    parseJson,
  };

  async function route(call: Call): Promise<Answer> {
    const { method, path } = call;
    // The scan path's call first: every other route is tried after it.
    if (method === 'POST' && path === '/api/claims') {
      const window = await auth.verify({ ...call, path: call.target });
      const answer = await claimTicket(claims, db, auth, window, parseJson(claimRequestSchema, call.body));
      stats.countClaim();
      return { status: 200, json: answer };
    }
    const fleetAnswer = await fleetRoute(fleet, call);
    if (fleetAnswer) return fleetAnswer;
    if (method === 'GET' && path === '/health') return { status: 200, json: { ok: true } };
    if (method === 'POST' && path === '/api/pair') {
      return { status: 200, json: await pairWindow(db, parseJson(pairRequestSchema, call.body)) };
    }
    if (method === 'GET' && path === '/api/token') {
      await signed(call);
      return { status: 200, json: await siteToken.get() };
    }
    if (method === 'POST' && path === '/api/claims/release') {
      const window = await signed(call);
      return { status: 200, json: { released: await releaseTicket(db, window, parseJson(claimRequestSchema, call.body)) } };
    }
    if (method === 'POST' && path === '/api/claims/holder') {
      await signed(call);
      return { status: 200, json: await holderOf(db, parseJson(holderRequestSchema, call.body).key) };
    }
    if (method === 'POST' && path === '/api/history') {
      const window = await signed(call);
      return { status: 200, json: await applyHistory(historyDb, window, parseJson(historyPushRequestSchema, call.body)) };
    }

    if (method === 'POST' && path === '/admin/api/pairing-codes') {
      requireAdmin(call);
      return { status: 200, json: await createPairingCode(db) };
    }
    const revoke = /^\/admin(\/api)?\/windows\/([0-9a-f-]{36})\/revoke$/.exec(path);
    if (method === 'POST' && revoke) {
      requireAdmin(call);
      const revoked = await revokeWindow(db, revoke[2] as string);
      return revoke[1] ? { status: 200, json: { revoked } } : back(call);
    }
    if (method === 'GET' && path === '/admin/api/process') {
      requireAdmin(call);
      return { status: 200, json: stats.read(call.query.get('reset') === '1') };
    }
    if (method === 'GET' && path === '/admin/api/report') {
      requireAdmin(call);
      return { status: 200, json: await siteReport(db, today(call)) };
    }
    if (method === 'GET' && path === '/admin') {
      if (!isAdmin(call)) return { status: 200, html: loginPage(lang(call), false) };
      return { status: 200, html: adminPage(lang(call), await siteReport(db, today(call)), await fleetView(db)) };
    }
    if (method === 'POST' && path === '/admin/login') {
      const token = new URLSearchParams(call.body.toString('utf8')).get('token') ?? '';
      if (!sameSecret(token, options.adminToken)) return { status: 401, html: loginPage(lang(call), true) };
      return {
        ...back(call),
        headers: {
          ...back(call).headers,
          'set-cookie': `${ADMIN_COOKIE}=${adminCookieValue(token)}; HttpOnly; SameSite=Strict; Path=/admin${options.tls ? '; Secure' : ''}`,
        },
      };
    }
    if (method === 'POST' && path === '/admin/pairing-code') {
      requireAdmin(call);
      const { code } = await createPairingCode(db);
      return { status: 200, html: adminPage(lang(call), await siteReport(db, today(call)), await fleetView(db), code) };
    }
    throw new HubRefusal(404, 'not_found', '没有这个地址', 'No such path');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      const url = new URL(req.url ?? '/', 'http://hub');
      const method = req.method ?? 'GET';
      const limit = fleetBodyLimit(method, url.pathname) ?? MAX_BODY_BYTES;
      const body = limit === 'stream' ? Buffer.alloc(0) : await readBody(req, limit);
      answer = await route({
        method,
        path: url.pathname,
        target: req.url ?? '/',
        query: url.searchParams,
        headers: req.headers,
        body,
        stream: req,
      });
    } catch (error) {
      if (error instanceof HubRefusal) answer = { status: error.status, json: error.toJSON() };
      else {
        log(`hub request failed: ${error instanceof Error ? error.message : String(error)}`);
        answer = { status: 500, json: new HubRefusal(500, 'internal', '中心内部错误', 'Hub internal error').toJSON() };
      }
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...answer.headers };
    if ('stream' in answer) {
      res.writeHead(answer.status, {
        ...headers,
        'content-type': answer.contentType,
        'content-length': String(answer.stream.size),
      });
      try {
        for await (const chunk of answer.stream.body) if (!res.write(chunk)) await once(res, 'drain');
        res.end();
      } catch (error) {
        log(`hub download failed: ${error instanceof Error ? error.message : String(error)}`);
        res.destroy();
      }
    } else if ('text' in answer) {
      res.writeHead(answer.status, { ...headers, 'content-type': answer.contentType }).end(answer.text);
    } else if ('html' in answer && answer.html !== undefined) {
      res.writeHead(answer.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(answer.html);
    } else if (answer.json !== undefined) {
      res.writeHead(answer.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
    } else res.writeHead(answer.status, headers).end();
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  // Longer than the window's client keeps an idle connection (undici, 60 s): a window scanning
  // every few seconds reuses one connection, and never sends on one the hub is closing.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        stats.close();
        server.close(() => void auth.close().then(resolve));
      }),
  };
}
