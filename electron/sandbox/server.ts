import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { shanghaiDate, type Clock } from './clock';
import { couponOrderSchema, DEMO_RESERVE_CODES, seedDemoCoupons, type CouponOrderInput, type ReserveCode } from './coupon-book';
import { CouponDesk, type CouponDeskOptions, type CouponVerifyRecord } from './coupon-desk';
import { createCouponRoutes, type CouponEndpoint } from './coupon-routes';
import { startShortLinkServer } from './coupon-short-links';
import { verifyEnvelope, type ErrorInfo } from './envelope';
import { answerWithFault, BUSY_DESCRIPTIONS, sendJsonText } from './fault-answer';
import { FaultQueue, RateLimiter, type Fault } from './faults';
import { sandboxOrderSchema, seedDemoOrders, type SandboxOrder, type SandboxOrderInput } from './order-book';
import { checkVerifyBody } from './request-validation';
import { writeJson } from './strict-json';
import { TokenRegistry } from './token-registry';
import { VerifyDesk, type DeskAnswer, type LedgerEntry } from './verify-desk';

export const SANDBOX_CLIENT_KEY = 'sandbox_client_key';
export const SANDBOX_CLIENT_SECRET = 'sandbox_client_secret';

export interface SandboxOptions {
  /** Default 0: any free port. Always bound to 127.0.0.1. */
  port?: number;
  clientKey?: string;
  clientSecret?: string;
  /** client_token expires_in. Default 7200 s. */
  tokenLifetimeSeconds?: number;
  now?: Clock;
  /** Default: seedDemoOrders(today in Asia/Shanghai). */
  orders?: SandboxOrderInput[];
  /** Douyin-code coupons. Default: seedDemoCoupons(now). */
  coupons?: CouponOrderInput[];
  /** Pre-imported codes → trip orders. Default: DEMO_RESERVE_CODES. */
  reserveCodes?: ReserveCode[];
  /** Coupon rules, and where short links redirect to (never fetched by a correct client). */
  coupon?: CouponDeskOptions & { longLinkBase?: string };
}

/** The Douyin-code coupon side of the sandbox, with the controls tests and demos need. */
interface SandboxCoupons {
  /** The short-link host (plays v.douyin.com). */
  shortLinkUrl: string;
  add(orders: CouponOrderInput[]): void;
  /** The visitor's QR right now: the short link it decodes to, and the data behind it. */
  qr(orderId: string): { shortLink: string; encryptedData: string };
  stateOf: CouponDesk['stateOf'];
  ledger(): readonly CouponVerifyRecord[];
  /** Verifications of one certificate (undone ones included): 1 is the exactly-once proof. */
  verificationsOf(certificateId: string): number;
  refund(certificateId: string): void;
  verifyElsewhere(certificateId: string): void;
  refuseCancel(certificateId: string): void;
  /** As if the merchant's own app undid the verify. */
  cancelElsewhere(certificateId: string): void;
  /** Douyin's verify records lose this certificate's verifies. */
  dropRecords(certificateId: string): void;
  /** verify_record requests refused with 2119003 for exceeding 100 QPS. */
  recordRateLimited(): number;
  /** Apply `fault` to the next `times` requests to one coupon endpoint (default: until clearFaults). */
  injectFault(endpoint: CouponEndpoint, fault: Fault, times?: number): void;
  requestCount(endpoint: CouponEndpoint): number;
  shortLinkRequests(): readonly string[];
}

interface SandboxCounts {
  tokenCalls: number;
  verifyRequests: number;
  verifications: number;
}

export interface Sandbox {
  url: string;
  close(): Promise<void>;
  addOrders(orders: SandboxOrderInput[]): void;
  orderState(orderId: string): { order: SandboxOrder; verifiedProjectIds: string[] } | undefined;
  ledger(): readonly LedgerEntry[];
  /** Ledger entries for one order: 1 after any number of retries is the exactly-once proof. */
  verificationsOf(orderId: string): number;
  counts(): SandboxCounts;
  setLatency(ms: number, jitterMs?: number): void;
  /** Verify requests per second beyond which the sandbox answers 2119003; null lifts it. */
  setRateLimit(perSecond: number | null): void;
  /** Apply `fault` to the next `times` verify requests (default: until clearFaults). */
  injectFault(fault: Fault, times?: number): void;
  failNext(times: number, errorCode: number, description?: string): void;
  /** Destroy every connection (new and open) until turned off. */
  setOffline(offline: boolean): void;
  /** Back to a healthy sandbox: no queued faults, latency, rate limit or offline mode. */
  clearFaults(): void;
  coupons: SandboxCoupons;
}

const TOKEN_PATH = '/oauth/client_token/';
const VERIFY_PATH = '/goodlife/v1/trip/certificate/verify/';
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const clientKey = options.clientKey ?? SANDBOX_CLIENT_KEY;
  const clientSecret = options.clientSecret ?? SANDBOX_CLIENT_SECRET;
  const tokens = new TokenRegistry(now, options.tokenLifetimeSeconds ?? 7200);
  const desk = new VerifyDesk(now);
  const faults = new FaultQueue();
  const rateLimiter = new RateLimiter(null);
  const sockets = new Set<Socket>();
  let latency = { ms: 0, jitterMs: 0 };
  let offline = false;
  let verifyRequests = 0;

  const addOrders = (orders: SandboxOrderInput[]) => {
    for (const order of orders) desk.addOrder(sandboxOrderSchema.parse(order));
  };
  addOrders(options.orders ?? seedDemoOrders(shanghaiDate(now())));
  const couponDesk = new CouponDesk(now, options.coupon);
  const addCoupons = (orders: CouponOrderInput[]) => {
    for (const order of orders) couponDesk.addOrder(couponOrderSchema.parse(order));
  };
  addCoupons(options.coupons ?? seedDemoCoupons(now()));
  couponDesk.addReserveCodes(options.reserveCodes ?? DEMO_RESERVE_CODES);
  const answerDelay = async () => {
    const delay = latency.ms + Math.random() * latency.jitterMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  };
  const couponRoutes = createCouponRoutes({ desk: couponDesk, now, tokenError: accessTokenError, delay: answerDelay });
  const shortLinks = await startShortLinkServer({
    encryptedDataOf: (slug) => couponDesk.encryptedDataOfSlug(slug),
    ...(options.coupon?.longLinkBase ? { longLinkBase: options.coupon.longLinkBase } : {}),
  });

  const sendJson = (res: ServerResponse, status: number, body: unknown) => sendJsonText(res, status, writeJson(body));
  const answerError = (res: ServerResponse, error: ErrorInfo) => sendJson(res, 200, verifyEnvelope(now(), {}, error));

  function handleToken(body: string, res: ServerResponse) {
    let request: { client_key?: unknown; client_secret?: unknown; grant_type?: unknown } = {};
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      // Falls through to the credential check with nothing set.
    }
    const credentialsOk =
      request.client_key === clientKey && request.client_secret === clientSecret && request.grant_type === 'client_credential';
    if (!credentialsOk) {
      return sendJson(res, 200, {
        data: { error_code: 10003, description: 'client_key, client_secret or grant_type invalid' },
        message: 'error',
      });
    }
    const issued = tokens.issue();
    if (!issued) {
      return sendJson(res, 200, { data: { error_code: 10020, description: '调用次数超限' }, message: 'error' });
    }
    sendJson(res, 200, {
      data: { access_token: issued.token, expires_in: issued.expiresIn, error_code: 0, description: '' },
      message: 'success',
    });
  }

  async function handleVerify(req: IncomingMessage, body: string, res: ServerResponse) {
    verifyRequests += 1;
    await answerDelay();
    if (res.destroyed) return;

    if (!rateLimiter.allow(now())) return answerError(res, { errorCode: 2119003, description: BUSY_DESCRIPTIONS[2119003]! });

    answerWithFault(req, res, faults.take(), now(), () => {
      const answer = processVerify(req, body);
      return writeJson(verifyEnvelope(now(), answer.data, answer.error));
    });
  }

  function accessTokenError(req: IncomingMessage): ErrorInfo | undefined {
    const header = req.headers['access-token'];
    const check = tokens.check(typeof header === 'string' ? header : undefined);
    if (check === 'unknown') return { errorCode: 2190002, description: 'access_token无效' };
    if (check === 'expired') return { errorCode: 2190008, description: 'access_token过期,请刷新或重新授权' };
    return undefined;
  }

  function processVerify(req: IncomingMessage, body: string): DeskAnswer {
    const tokenError = accessTokenError(req);
    if (tokenError) return { data: {}, error: tokenError };
    const checked = checkVerifyBody(req.headers['content-type'], body);
    if (!checked.ok) return { data: {}, error: checked.error };
    return desk.verify(checked.body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const [path = '', search = ''] = (req.url ?? '').split('?', 2);
      if (req.method === 'POST' && path === TOKEN_PATH) return handleToken(body, res);
      const couponEndpoint = couponRoutes.match(req.method, path);
      if (couponEndpoint) {
        return void couponRoutes
          .handle(couponEndpoint, req, res, new URLSearchParams(search), body)
          .catch(() => req.socket.destroy());
      }
      if (req.method === 'POST' && path === VERIFY_PATH) {
        return void handleVerify(req, body, res).catch(() => req.socket.destroy());
      }
      sendJson(res, 404, { message: 'not found' });
    });
  });
  server.on('connection', (socket) => {
    if (offline) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }).then(() => shortLinks.close()),
    addOrders,
    orderState: (orderId) => desk.orderState(orderId),
    ledger: () => desk.ledger(),
    verificationsOf: (orderId) => desk.ledger().filter((entry) => entry.order_id === orderId).length,
    counts: () => ({ tokenCalls: tokens.callCount, verifyRequests, verifications: desk.ledger().length }),
    setLatency: (ms, jitterMs = 0) => {
      latency = { ms, jitterMs };
    },
    setRateLimit: (perSecond) => rateLimiter.set(perSecond),
    injectFault: (fault, times = Number.POSITIVE_INFINITY) => faults.add(fault, times),
    failNext: (times, errorCode, description) =>
      faults.add({ kind: 'error_code', errorCode, ...(description ? { description } : {}) }, times),
    setOffline: (on) => {
      offline = on;
      if (on) for (const socket of sockets) socket.destroy();
      shortLinks.setOffline(on);
    },
    clearFaults: () => {
      faults.clear();
      couponRoutes.clearFaults();
      shortLinks.setOffline(false);
      rateLimiter.set(null);
      latency = { ms: 0, jitterMs: 0 };
      offline = false;
    },
    coupons: {
      shortLinkUrl: shortLinks.url,
      add: addCoupons,
      qr: (orderId) => {
        const { slug, encryptedData } = couponDesk.currentQr(orderId);
        return { shortLink: `${shortLinks.url}/${slug}/`, encryptedData };
      },
      stateOf: (certificateId) => couponDesk.stateOf(certificateId),
      ledger: () => couponDesk.ledger(),
      verificationsOf: (certificateId) => couponDesk.ledger().filter((r) => r.certificate_id === certificateId).length,
      refund: (certificateId) => couponDesk.refund(certificateId),
      verifyElsewhere: (certificateId) => couponDesk.verifyElsewhere(certificateId),
      refuseCancel: (certificateId) => couponDesk.refuseCancel(certificateId),
      cancelElsewhere: (certificateId) => couponDesk.cancelElsewhere(certificateId),
      dropRecords: (certificateId) => couponDesk.dropRecords(certificateId),
      recordRateLimited: () => couponRoutes.rateLimitedCount(),
      injectFault: (endpoint, fault, times = Number.POSITIVE_INFINITY) => couponRoutes.injectFault(endpoint, fault, times),
      requestCount: (endpoint) => couponRoutes.requestCount(endpoint),
      shortLinkRequests: () => shortLinks.requests(),
    },
  };
}
