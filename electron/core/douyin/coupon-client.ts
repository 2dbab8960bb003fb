import type { z } from 'zod';
import { certificateVerdict, classifyCouponAnswer, type CertificateVerdict, type CouponOutcome } from './coupon-answer';
import {
  bindOrderDataSchema,
  bindOrderRequestSchema,
  couponCancelDataSchema,
  couponCancelRequestSchema,
  couponGetDataSchema,
  couponGetRequestSchema,
  couponPrepareDataSchema,
  couponPrepareRequestSchema,
  couponQueryDataSchema,
  couponQueryRequestSchema,
  couponVerifyDataSchema,
  couponVerifyRequestSchema,
  verifyRecordDataSchema,
  verifyRecordRequestSchema,
  type BindOrderRequest,
  type CertificateStatus,
  type CouponCancelRequest,
  type CouponGetRequest,
  type CouponPrepareData,
  type CouponPrepareRequest,
  type CouponQueryRequest,
  type CouponVerifyRequest,
  type CouponVerifyResult,
  type VerifyRecord,
  type VerifyRecordData,
  type VerifyRecordRequest,
} from './coupon-schemas';
import { stringifyWithInt64 } from './int64-json';
import { createOpenApiCaller, type OpenApiCallerOptions, type OpenApiRequest } from './openapi-call';

const COUPON_API_PATHS = {
  prepare: '/goodlife/v1/fulfilment/certificate/prepare/',
  verify: '/goodlife/v1/fulfilment/certificate/verify/',
  cancel: '/goodlife/v1/fulfilment/certificate/cancel/',
  get: '/goodlife/v1/fulfilment/certificate/get/',
  query: '/goodlife/v1/fulfilment/certificate/query/',
  verifyRecords: '/goodlife/v1/fulfilment/certificate/verify_record/query/',
  bindOrderInfo: '/goodlife/v1/fulfilment/reserve_code/bind_order_info/',
} as const;

/**
 * 验券历史查询 allows 100 QPS, counted where the requests arrive: pacing below it leaves room
 * for network jitter bunching arrivals together.
 */
const DEFAULT_VERIFY_RECORDS_PER_SECOND = 80;
/** A page answered 2119003 is asked again after 0.5, 1, 2 and 4 s; a fifth refusal is reported. */
const RATE_LIMIT_FIRST_WAIT_MS = 500;
const RATE_LIMIT_LAST_WAIT_MS = 4_000;
/** 验券历史查询: "size 页大小, 1~20". */
const VERIFY_RECORD_PAGE_MAX = 20;

type CertificateVerifyOutcome = CouponVerifyResult & { verdict: CertificateVerdict };

export interface CouponClientOptions extends OpenApiCallerOptions {
  verifyRecordsPerSecond?: number;
}

type CallOptions = { signal?: AbortSignal };

export interface CouponClient {
  /** Read-only on Douyin's side: lists the order's unused certificates and a fresh verify_token. */
  prepare(req: CouponPrepareRequest, opts?: CallOptions): Promise<CouponOutcome<CouponPrepareData>>;
  /** Verifies the chosen certificates; each result carries its verdict, verify_id and certificate_id. */
  verify(req: CouponVerifyRequest, opts?: CallOptions): Promise<CouponOutcome<{ results: CertificateVerifyOutcome[] }>>;
  /** Undoes one verification; Douyin refuses it past the hour (and sometimes sooner). */
  cancel(req: CouponCancelRequest, opts?: CallOptions): Promise<CouponOutcome<Record<string, unknown>>>;
  getCertificate(req: CouponGetRequest, opts?: CallOptions): Promise<CouponOutcome<CertificateStatus>>;
  queryCertificates(req: CouponQueryRequest, opts?: CallOptions): Promise<CouponOutcome<CertificateStatus[]>>;
  /** One page of verify records, paced within the endpoint's QPS. */
  queryVerifyRecords(req: VerifyRecordRequest, opts?: CallOptions): Promise<CouponOutcome<VerifyRecordData>>;
  /** Every page from cursor "0", at most `maxPages` (default 500), paced like one page. */
  listVerifyRecords(
    req: Omit<VerifyRecordRequest, 'cursor' | 'size'> & { size?: number },
    opts?: CallOptions & { maxPages?: number },
  ): Promise<CouponOutcome<{ records: VerifyRecord[]; pages: number; complete: boolean }>>;
  /** A pre-imported code (预导码) → its Douyin order, to verify as a trip ticket. */
  bindOrderInfo(req: BindOrderRequest, opts?: CallOptions): Promise<CouponOutcome<{ orderId: string }>>;
  close(): Promise<void>;
}

function refused(error: z.ZodError): { kind: 'invalid_request'; description: string } {
  return { kind: 'invalid_request', description: `request rejected before sending: ${error.message}` };
}

/** Query values go through URLSearchParams, which percent-encodes '+', '/' and '=' (never a space). */
function queryOf(values: Record<string, string | number | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? JSON.stringify(value) : String(value));
  }
  return params;
}

/** Evenly spaced slots: concurrent callers queue behind each other, never bunch. */
function createPacer(perSecond: number): () => Promise<void> {
  const intervalMs = 1000 / perSecond;
  let nextSlot = 0;
  return async () => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + intervalMs;
    while (performance.now() < slot) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(slot - performance.now())));
    }
  };
}

export function createCouponClient(options: CouponClientOptions): CouponClient {
  const caller = createOpenApiCaller(options);
  const paceVerifyRecords = createPacer(options.verifyRecordsPerSecond ?? DEFAULT_VERIFY_RECORDS_PER_SECOND);

  function call<T>(req: OpenApiRequest, schema: z.ZodType<T, unknown>, opts: CallOptions = {}): Promise<CouponOutcome<T>> {
    return caller.call(req, (answer) => classifyCouponAnswer(answer, schema), opts.signal);
  }

  async function queryVerifyRecords(req: VerifyRecordRequest, opts: CallOptions = {}) {
    const checked = verifyRecordRequestSchema.safeParse(req);
    if (!checked.success) return refused(checked.error);
    await paceVerifyRecords();
    return call(
      { method: 'GET', path: COUPON_API_PATHS.verifyRecords, query: queryOf(checked.data) },
      verifyRecordDataSchema,
      opts,
    );
  }

  /**
   * One page, waiting out 2119003 (another caller on the same account shares the 100 QPS): a
   * long walk must not fail, or start again from cursor "0", because one page met the limit.
   */
  async function pageWithinLimit(req: VerifyRecordRequest, opts: CallOptions) {
    for (let wait = RATE_LIMIT_FIRST_WAIT_MS; ; wait *= 2) {
      const page = await queryVerifyRecords(req, opts);
      if (page.kind !== 'rate_limited' || wait > RATE_LIMIT_LAST_WAIT_MS || opts.signal?.aborted) return page;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  return {
    async prepare(req, opts) {
      const checked = couponPrepareRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      return call({ method: 'GET', path: COUPON_API_PATHS.prepare, query: queryOf(checked.data) }, couponPrepareDataSchema, opts);
    },

    async verify(req, opts) {
      const checked = couponVerifyRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      const outcome = await call(
        { method: 'POST', path: COUPON_API_PATHS.verify, body: stringifyWithInt64(checked.data) },
        couponVerifyDataSchema,
        opts,
      );
      if (outcome.kind !== 'ok') return outcome;
      const results = outcome.data.verify_results.map((r) => ({ ...r, verdict: certificateVerdict(r) }));
      return { ...outcome, data: { results } };
    },

    async cancel(req, opts) {
      const checked = couponCancelRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      return call(
        { method: 'POST', path: COUPON_API_PATHS.cancel, body: stringifyWithInt64(checked.data) },
        couponCancelDataSchema,
        opts,
      );
    },

    async getCertificate(req, opts) {
      const checked = couponGetRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      const outcome = await call(
        { method: 'GET', path: COUPON_API_PATHS.get, query: queryOf(checked.data) },
        couponGetDataSchema,
        opts,
      );
      return outcome.kind === 'ok' ? { ...outcome, data: outcome.data.certificate } : outcome;
    },

    async queryCertificates(req, opts) {
      const checked = couponQueryRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      const outcome = await call(
        { method: 'GET', path: COUPON_API_PATHS.query, query: queryOf(checked.data) },
        couponQueryDataSchema,
        opts,
      );
      return outcome.kind === 'ok' ? { ...outcome, data: outcome.data.certificates } : outcome;
    },

    queryVerifyRecords,

    async listVerifyRecords(req, opts = {}) {
      const maxPages = opts.maxPages ?? 500;
      const records: VerifyRecord[] = [];
      let cursor = '0';
      for (let pages = 1; ; pages += 1) {
        const page = await pageWithinLimit({ ...req, size: req.size ?? VERIFY_RECORD_PAGE_MAX, cursor }, opts);
        if (page.kind !== 'ok') return page;
        records.push(...page.data.records);
        const last = page.data.records.at(-1)?.cursor;
        // "cursor: 传前一页最后一条记录的游标". A page that does not move the cursor ends the walk
        // rather than loop on it.
        const more = page.data.has_more === true && last !== undefined && last !== cursor;
        if (!more || pages >= maxPages) return { ...page, data: { records, pages, complete: !more } };
        cursor = last;
      }
    },

    async bindOrderInfo(req, opts) {
      const checked = bindOrderRequestSchema.safeParse(req);
      if (!checked.success) return refused(checked.error);
      const outcome = await call(
        { method: 'GET', path: COUPON_API_PATHS.bindOrderInfo, query: queryOf(checked.data) },
        bindOrderDataSchema,
        opts,
      );
      return outcome.kind === 'ok' ? { ...outcome, data: { orderId: outcome.data.order_id } } : outcome;
    },

    close: () => caller.close(),
  };
}
