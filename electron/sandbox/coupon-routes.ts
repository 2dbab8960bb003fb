import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Clock } from './clock';
import type { CouponDesk } from './coupon-desk';
import { verifyEnvelope, type ErrorInfo } from './envelope';
import { answerWithFault, BUSY_DESCRIPTIONS, sendJsonText } from './fault-answer';
import { FaultQueue, RateLimiter, type Fault } from './faults';
import { JsonSyntaxError, parseStrictJson, writeJson } from './strict-json';
import type { DeskAnswer } from './verify-desk';

const COUPON_PATHS = {
  prepare: '/goodlife/v1/fulfilment/certificate/prepare/',
  verify: '/goodlife/v1/fulfilment/certificate/verify/',
  cancel: '/goodlife/v1/fulfilment/certificate/cancel/',
  get: '/goodlife/v1/fulfilment/certificate/get/',
  query: '/goodlife/v1/fulfilment/certificate/query/',
  verify_record: '/goodlife/v1/fulfilment/certificate/verify_record/query/',
  bind_order_info: '/goodlife/v1/fulfilment/reserve_code/bind_order_info/',
} as const;

export type CouponEndpoint = keyof typeof COUPON_PATHS;

const METHODS: Readonly<Record<CouponEndpoint, 'GET' | 'POST'>> = {
  prepare: 'GET',
  verify: 'POST',
  cancel: 'POST',
  get: 'GET',
  query: 'GET',
  verify_record: 'GET',
  bind_order_info: 'GET',
};

/** The verify_record page: "SLA:支持的最大QPS:100". */
const VERIFY_RECORD_QPS = 100;

// Request shapes, strict so a stray or misspelt parameter shows up as a client bug.
const text = z.string().min(1);
/** "传参前需要先进行URL编码,注意不要有空格": form decoding turns an unencoded '+' into a space. */
const opaque = text.refine((v) => !/\s/.test(v), 'contains a space: URL-encode it before sending');
const seconds = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);

const prepareQuery = z
  .strictObject({ encrypted_data: opaque.optional(), code: text.optional(), poi_id: text.optional() })
  .refine((q) => (q.encrypted_data === undefined) !== (q.code === undefined), 'exactly one of encrypted_data and code');
const verifyBody = z.strictObject({
  verify_token: text,
  poi_id: text,
  encrypted_codes: z.array(text).min(1),
  order_id: text.optional(),
});
const cancelBody = z.strictObject({
  certificate_id: z.string().regex(/^\d+$/, 'certificate_id is a String'),
  verify_id: text,
  account_id: text.optional(),
});
const getQuery = z.strictObject({ encrypted_code: opaque, account_id: text.optional() });
const queryQuery = z
  .strictObject({ order_id: text.optional(), encrypted_code: opaque.optional() })
  .refine((q) => q.order_id !== undefined || q.encrypted_code !== undefined, 'order_id or encrypted_code');
const verifyRecordQuery = z.strictObject({
  account_id: text,
  cursor: z.string().regex(/^\d+$/),
  size: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(20)),
  // ASSUMPTION: the page types poi_ids Array<String> in the query and shows a bracketed list;
  // the sandbox takes a JSON array of strings.
  poi_ids: z
    .string()
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'poi_ids is not a JSON array' });
        return z.NEVER;
      }
    })
    .pipe(z.array(text))
    .optional(),
  start_time: seconds.optional(),
  end_time: seconds.optional(),
});
const bindQuery = z.strictObject({ account_id: text, code: text });

type Parsed<T> = { ok: true; value: T } | { ok: false; answer: DeskAnswer };

function invalid(subDescription: string): DeskAnswer {
  return { data: {}, error: { errorCode: 2100005, description: '参数不合法', subDescription } };
}

function fromZod<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, answer: invalid(`${issue.path.join('.') || '(request)'}: ${issue.message}`) };
}

function parseQuery<T>(params: URLSearchParams, schema: z.ZodType<T, unknown>): Parsed<T> {
  const record: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(record, key)) return { ok: false, answer: invalid(`${key}: given twice`) };
    record[key] = value;
  }
  return fromZod(schema.safeParse(record));
}

function parseBody<T>(contentType: string | undefined, body: string, schema: z.ZodType<T, unknown>): Parsed<T> {
  if (!contentType || contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    return { ok: false, answer: invalid(`content-type must be application/json, got ${contentType ?? 'none'}`) };
  }
  try {
    return fromZod(schema.safeParse(parseStrictJson(body)));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, answer: invalid(`body is not JSON: ${error.message}`) };
    throw error;
  }
}

export interface CouponRoutesOptions {
  desk: CouponDesk;
  now: Clock;
  /** The access-token check every Douyin endpoint shares. */
  tokenError(req: IncomingMessage): ErrorInfo | undefined;
  /** The sandbox's configured answer latency. */
  delay(): Promise<void>;
}

export interface CouponRoutes {
  /** The coupon endpoint for this method and path, if it is one. */
  match(method: string | undefined, path: string): CouponEndpoint | undefined;
  handle(
    endpoint: CouponEndpoint,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
    body: string,
  ): Promise<void>;
  injectFault(endpoint: CouponEndpoint, fault: Fault, times: number): void;
  clearFaults(): void;
  requestCount(endpoint: CouponEndpoint): number;
  /** verify_record requests answered 2119003 because they came faster than 100 QPS. */
  rateLimitedCount(): number;
}

export function createCouponRoutes(options: CouponRoutesOptions): CouponRoutes {
  const { desk, now } = options;
  const faults = new Map<CouponEndpoint, FaultQueue>();
  const counts = new Map<CouponEndpoint, number>();
  let rateLimited = 0;
  // Rate limits are about real seconds, whatever the sandbox's (possibly manual) clock says.
  const recordLimiter = new RateLimiter(VERIFY_RECORD_QPS);
  const faultsOf = (endpoint: CouponEndpoint) => {
    let queue = faults.get(endpoint);
    if (!queue) faults.set(endpoint, (queue = new FaultQueue()));
    return queue;
  };

  function process(endpoint: CouponEndpoint, req: IncomingMessage, query: URLSearchParams, body: string): DeskAnswer {
    const tokenError = options.tokenError(req);
    if (tokenError) return { data: {}, error: tokenError };
    const run = <T>(parsed: Parsed<T>, rule: (value: T) => DeskAnswer) => (parsed.ok ? rule(parsed.value) : parsed.answer);
    const contentType = req.headers['content-type'];
    switch (endpoint) {
      case 'prepare':
        return run(parseQuery(query, prepareQuery), (q) => desk.prepare(q));
      case 'verify':
        return run(parseBody(contentType, body, verifyBody), (b) => desk.verify(b));
      case 'cancel':
        return run(parseBody(contentType, body, cancelBody), (b) => desk.cancel(b));
      case 'get':
        return run(parseQuery(query, getQuery), (q) => desk.getCertificate(q.encrypted_code));
      case 'query':
        return run(parseQuery(query, queryQuery), (q) => desk.queryCertificates(q));
      case 'verify_record':
        return run(parseQuery(query, verifyRecordQuery), (q) => desk.verifyRecords(q));
      case 'bind_order_info':
        return run(parseQuery(query, bindQuery), (q) => desk.bindOrderInfo(q));
    }
  }

  return {
    match(method, path) {
      const endpoint = (Object.keys(COUPON_PATHS) as CouponEndpoint[]).find((e) => COUPON_PATHS[e] === path);
      return endpoint && METHODS[endpoint] === method ? endpoint : undefined;
    },
    async handle(endpoint, req, res, query, body) {
      counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
      await options.delay();
      if (res.destroyed) return;
      if (endpoint === 'verify_record' && !recordLimiter.allow(Date.now())) {
        rateLimited += 1;
        const error = { errorCode: 2119003, description: BUSY_DESCRIPTIONS[2119003]! };
        return sendJsonText(res, 200, writeJson(verifyEnvelope(now(), {}, error)));
      }
      answerWithFault(req, res, faultsOf(endpoint).take(), now(), () => {
        const answer = process(endpoint, req, query, body);
        return writeJson(verifyEnvelope(now(), answer.data, answer.error));
      });
    },
    injectFault: (endpoint, fault, times) => faultsOf(endpoint).add(fault, times),
    clearFaults: () => faults.clear(),
    requestCount: (endpoint) => counts.get(endpoint) ?? 0,
    rateLimitedCount: () => rateLimited,
  };
}
