import { randomBytes, randomInt } from 'node:crypto';
import { shanghaiDate, type Clock } from './clock';
import { SANDBOX_ACCOUNT_ID, type CouponCertificate, type CouponOrder, type ReserveCode } from './coupon-book';
import type { DeskAnswer } from './verify-desk';

/** 撤销核销: "验券超过一个小时就不可再撤销" (the platform's cancel page). */
export const CANCEL_WINDOW_MS = 60 * 60_000;
/** Default life of the QR data the visitor's Douyin app shows before it refreshes itself. */
export const DEFAULT_QR_LIFETIME_MS = 5 * 60_000;
/**
 * Default life of a verify_token ("一次验券的标识，用于短时间内的幂等"). Douyin names no figure;
 * the sandbox picks one short enough that a crash outliving it must be settled by status query.
 */
const DEFAULT_VERIFY_TOKEN_LIFETIME_MS = 10 * 60_000;

/**
 * Per-certificate `result` codes. 0 and the repeat codes 1208 / 2 are the platform's; the
 * others are the sandbox's own (Douyin does not publish them): a client must treat any other
 * non-zero result as "refused, show msg".
 */
const CERTIFICATE_RESULT = { ok: 0, expired: 1001, notYetValid: 1002, refunded: 1003 } as const;
export type RepeatResult = 1208 | 2;

/** certificate/get `status`: 1 unused, 2 used, 3–6 refund states (the sandbox uses 4, refunded). */
const STATUS = { unused: 1, used: 2, refunded: 4 } as const;

export interface CouponDeskOptions {
  qrLifetimeMs?: number;
  verifyTokenLifetimeMs?: number;
  /** What a repeat of a verified certificate answers: Douyin documents both. Default 1208. */
  repeatResult?: RepeatResult;
}

/** One verification of one certificate, as Douyin's verify records would list it. */
export interface CouponVerifyRecord {
  seq: number;
  verify_id: string;
  certificate_id: string;
  order_id: string;
  poi_id: string;
  /** Unix seconds. */
  verify_time: number;
  cancel_time: number | null;
  /** null: verified elsewhere (the merchant's own app), not through the API. */
  verify_token: string | null;
}

interface CertificateState {
  cert: CouponCertificate;
  order: CouponOrder;
  encryptedCode: string;
  state: CouponCertificate['state'];
  verify?: { record: CouponVerifyRecord; atMs: number };
  cancelRefused: boolean;
}

interface QrData {
  orderId: string;
  slug: string;
  issuedAt: number;
  invalidated: boolean;
}

interface CertificateResult {
  encrypted_code: string;
  result: number;
  msg: string;
  certificate_id: bigint;
  verify_id?: string;
  order_id: string;
}

interface VerifyTokenState {
  orderId: string;
  encryptedCodes: Set<string>;
  issuedAt: number;
  /** The first verify with this token: a repeat never verifies again. */
  first?: { codes: string; results: CertificateResult[] };
}

/**
 * Opaque base64 text that always carries '+', '/' and '=': a client that forgets to URL-encode
 * it sends a space (form decoding) and is refused, as Douyin would.
 */
function opaqueBase64(): string {
  const chars = [...randomBytes(32).toString('base64')];
  chars[5] = '+';
  chars[11] = '/';
  return chars.join('');
}

const BASE62 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Short-link paths vary in length, as the platform warns. */
const newSlug = () => Array.from({ length: randomInt(5, 11) }, () => BASE62[randomInt(BASE62.length)]).join('');

function fail(errorCode: number, description: string, subDescription = ''): DeskAnswer {
  return { data: {}, error: { errorCode, description, subDescription } };
}

/** The coupon rules of the sandbox: no HTTP here, so tests can reason about it directly. */
export class CouponDesk {
  private readonly certificates = new Map<string, CertificateState>();
  private readonly byEncryptedCode = new Map<string, CertificateState>();
  private readonly byPlainCode = new Map<string, CertificateState>();
  private readonly orders = new Map<string, CouponOrder>();
  private readonly qrByData = new Map<string, QrData>();
  private readonly qrBySlug = new Map<string, string>();
  private readonly currentQrOf = new Map<string, string>();
  private readonly verifyTokens = new Map<string, VerifyTokenState>();
  private readonly reserveCodes = new Map<string, string>();
  private readonly records: CouponVerifyRecord[] = [];
  /** Cursors stay increasing when a record is dropped. */
  private lastSeq = 0;
  private readonly qrLifetimeMs: number;
  private readonly verifyTokenLifetimeMs: number;
  private readonly repeatResult: RepeatResult;

  constructor(
    private readonly now: Clock,
    options: CouponDeskOptions = {},
  ) {
    this.qrLifetimeMs = options.qrLifetimeMs ?? DEFAULT_QR_LIFETIME_MS;
    this.verifyTokenLifetimeMs = options.verifyTokenLifetimeMs ?? DEFAULT_VERIFY_TOKEN_LIFETIME_MS;
    this.repeatResult = options.repeatResult ?? 1208;
  }

  addOrder(order: CouponOrder): void {
    this.orders.set(order.order_id, order);
    for (const cert of order.certificates) {
      const state: CertificateState = { cert, order, encryptedCode: opaqueBase64(), state: cert.state, cancelRefused: false };
      this.certificates.set(cert.certificate_id, state);
      this.byEncryptedCode.set(state.encryptedCode, state);
      this.byPlainCode.set(cert.code, state);
      if (cert.state === 'used') this.record(state, order.poi_ids[0]!, null);
    }
  }

  addReserveCodes(codes: ReserveCode[]): void {
    for (const { code, order_id } of codes) this.reserveCodes.set(code, order_id);
  }

  /** What the visitor's app shows now: new after a verify or cancel, or once the old one aged out. */
  currentQr(orderId: string): { slug: string; encryptedData: string } {
    if (!this.orders.has(orderId)) throw new Error(`no coupon order ${orderId}`);
    const current = this.currentQrOf.get(orderId);
    const qr = current ? this.qrByData.get(current) : undefined;
    if (current && qr && this.qrUsable(qr)) return { slug: qr.slug, encryptedData: current };
    const encryptedData = opaqueBase64();
    const slug = newSlug();
    this.qrByData.set(encryptedData, { orderId, slug, issuedAt: this.now(), invalidated: false });
    this.qrBySlug.set(slug, encryptedData);
    this.currentQrOf.set(orderId, encryptedData);
    return { slug, encryptedData };
  }

  /** A short link keeps redirecting to the data it was made for, even after that data went stale. */
  encryptedDataOfSlug(slug: string): string | undefined {
    return this.qrBySlug.get(slug);
  }

  prepare(query: { encrypted_data?: string; code?: string; poi_id?: string }): DeskAnswer {
    let order: CouponOrder | undefined;
    if (query.encrypted_data !== undefined) {
      const qr = this.qrByData.get(query.encrypted_data);
      // ASSUMPTION: Douyin documents no code for stale QR data; a business error whose
      // description the window shows as it is.
      if (!qr) return fail(4000001, '二维码无效', 'encrypted_data 无法识别');
      if (!this.qrUsable(qr)) return fail(4000002, '二维码已失效，请刷新后重试', '二维码已过期或已使用');
      order = this.orders.get(qr.orderId);
    } else {
      const state = this.byPlainCode.get(query.code ?? '');
      if (!state) return fail(4000001, '券码不存在', `券码 ${query.code ?? ''} 不存在`);
      order = state.order;
    }
    if (!order) return fail(4000001, '订单不存在');
    if (query.poi_id !== undefined && !order.poi_ids.includes(query.poi_id)) {
      return fail(3000007, '操作无权限', `门店 ${query.poi_id} 不可核销该券`);
    }
    // "该接口只返回未使用状态的券信息"; expired ones stay listed until Douyin's periodic clean-up.
    const unused = order.certificates.map((c) => this.certificates.get(c.certificate_id)!).filter((s) => s.state === 'unused');
    const verifyToken = randomBytes(12).toString('hex');
    this.verifyTokens.set(verifyToken, {
      orderId: order.order_id,
      encryptedCodes: new Set(unused.map((s) => s.encryptedCode)),
      issuedAt: this.now(),
    });
    return {
      data: {
        verify_token: verifyToken,
        order_id: order.order_id,
        certificates: unused.map((s) => ({
          encrypted_code: s.encryptedCode,
          certificate_id: BigInt(s.cert.certificate_id),
          start_time: s.cert.start_time,
          expire_time: s.cert.expire_time,
          amount: { original_amount: s.cert.original_amount, pay_amount: s.cert.pay_amount },
          sku: order.sku,
        })),
      },
    };
  }

  verify(body: { verify_token: string; poi_id: string; encrypted_codes: string[]; order_id?: string }): DeskAnswer {
    const token = this.verifyTokens.get(body.verify_token);
    if (!token) return fail(4000001, 'verify_token 无效', '请先调用验券准备');
    if (this.now() - token.issuedAt > this.verifyTokenLifetimeMs) {
      return fail(4000002, 'verify_token 已过期', '请重新调用验券准备');
    }
    if (body.order_id !== undefined && body.order_id !== token.orderId)
      return fail(2119001, '参数不合法', 'order_id 与验券准备不符');
    const foreign = body.encrypted_codes.filter((code) => !token.encryptedCodes.has(code));
    if (foreign.length > 0) return fail(2119001, '参数不合法', '加密券码不属于本次验券准备的订单');
    const order = this.orders.get(token.orderId)!;
    if (!order.poi_ids.includes(body.poi_id)) return fail(3000007, '操作无权限', `门店 ${body.poi_id} 不可核销该券`);

    const codes = JSON.stringify([...body.encrypted_codes].sort());
    if (token.first) {
      if (token.first.codes !== codes) return fail(2119001, '参数不合法', 'verify_token 已用于另一组券码');
      // The idempotent repeat: what this token verified answers as already verified, with no
      // verify_id (a caller that lost the first answer learns it from the status query).
      const repeated = token.first.results.map((r) =>
        r.result === CERTIFICATE_RESULT.ok
          ? {
              encrypted_code: r.encrypted_code,
              result: this.repeatResult,
              msg: '券码已核销',
              certificate_id: r.certificate_id,
              order_id: r.order_id,
            }
          : r,
      );
      return { data: { verify_results: repeated } };
    }

    const results = body.encrypted_codes.map((code) =>
      this.verifyOne(this.byEncryptedCode.get(code)!, body.poi_id, body.verify_token),
    );
    token.first = { codes, results };
    if (results.some((r) => r.result === CERTIFICATE_RESULT.ok)) this.invalidateQr(order.order_id);
    return { data: { verify_results: results } };
  }

  private verifyOne(state: CertificateState, poiId: string, verifyToken: string): CertificateResult {
    const base = {
      encrypted_code: state.encryptedCode,
      certificate_id: BigInt(state.cert.certificate_id),
      order_id: state.order.order_id,
    };
    const nowS = Math.floor(this.now() / 1000);
    if (state.state === 'used') return { ...base, result: this.repeatResult, msg: '券码已核销' };
    if (state.state === 'refunded') return { ...base, result: CERTIFICATE_RESULT.refunded, msg: '券码已退款' };
    if (nowS < state.cert.start_time) return { ...base, result: CERTIFICATE_RESULT.notYetValid, msg: '券码未到可用时间' };
    if (nowS > state.cert.expire_time) return { ...base, result: CERTIFICATE_RESULT.expired, msg: '券码已过期' };
    const record = this.record(state, poiId, verifyToken);
    return { ...base, result: CERTIFICATE_RESULT.ok, msg: '', verify_id: record.verify_id };
  }

  private record(state: CertificateState, poiId: string, verifyToken: string | null): CouponVerifyRecord {
    this.lastSeq += 1;
    const record: CouponVerifyRecord = {
      seq: this.lastSeq,
      verify_id: `7${String(randomInt(10 ** 12)).padStart(12, '0')}${String(this.lastSeq).padStart(6, '0')}`,
      certificate_id: state.cert.certificate_id,
      order_id: state.order.order_id,
      poi_id: poiId,
      verify_time: Math.floor(this.now() / 1000),
      cancel_time: null,
      verify_token: verifyToken,
    };
    this.records.push(record);
    state.state = 'used';
    state.verify = { record, atMs: this.now() };
    return record;
  }

  cancel(body: { certificate_id: string; verify_id: string }): DeskAnswer {
    const state = this.certificates.get(body.certificate_id);
    if (!state) return fail(4000001, '券不存在', `certificate_id ${body.certificate_id} 不存在`);
    if (state.state !== 'used' || state.verify?.record.verify_id !== body.verify_id) {
      return fail(4000001, '核销记录不存在', '该券当前没有这条核销记录');
    }
    if (state.cancelRefused) return fail(3000001, '该券不可撤销', '以实际错误信息为准');
    if (this.now() - state.verify.atMs > CANCEL_WINDOW_MS)
      return fail(3000001, '已超过可撤销时限', '验券超过一个小时就不可再撤销');
    state.verify.record.cancel_time = Math.floor(this.now() / 1000);
    state.state = 'unused';
    delete state.verify;
    this.invalidateQr(state.order.order_id);
    return { data: {} };
  }

  getCertificate(encryptedCode: string): DeskAnswer {
    const state = this.byEncryptedCode.get(encryptedCode);
    if (!state) return fail(4000001, '券不存在', 'encrypted_code 无法识别');
    return { data: { certificate: this.statusView(state) } };
  }

  queryCertificates(query: { order_id?: string; encrypted_code?: string }): DeskAnswer {
    const orderId = query.order_id ?? this.byEncryptedCode.get(query.encrypted_code ?? '')?.order.order_id;
    const order = orderId ? this.orders.get(orderId) : undefined;
    if (!order) return fail(4000001, '订单不存在');
    return { data: { certificates: order.certificates.map((c) => this.statusView(this.certificates.get(c.certificate_id)!)) } };
  }

  verifyRecords(query: {
    account_id: string;
    cursor: string;
    size: number;
    poi_ids?: string[];
    start_time?: number;
    end_time?: number;
  }): DeskAnswer {
    if (query.account_id !== SANDBOX_ACCOUNT_ID) return fail(3000007, '操作无权限', `无权查看账户 ${query.account_id}`);
    // "start_time 不传表示今天": today from 00:00 in Asia/Shanghai.
    const start = query.start_time ?? Math.floor(Date.parse(`${shanghaiDate(this.now())}T00:00:00+08:00`) / 1000);
    const end = query.end_time ?? Math.floor(this.now() / 1000);
    const after = Number(query.cursor);
    const matching = this.records.filter(
      (r) =>
        r.seq > after &&
        r.verify_time >= start &&
        r.verify_time <= end &&
        (!query.poi_ids || query.poi_ids.length === 0 || query.poi_ids.includes(r.poi_id)),
    );
    const page = matching.slice(0, query.size);
    return {
      data: {
        records: page.map((r) => {
          const state = this.certificates.get(r.certificate_id)!;
          return {
            cursor: String(r.seq),
            verify_id: r.verify_id,
            certificate_id: BigInt(r.certificate_id),
            order_id: r.order_id,
            poi_id: r.poi_id,
            verify_time: r.verify_time,
            // ASSUMPTION: the page's sample does not show how a cancelled verification is
            // marked; the sandbox lists it with status 2 and its cancel_time.
            status: r.cancel_time === null ? 1 : 2,
            ...(r.cancel_time !== null ? { cancel_time: r.cancel_time } : {}),
            sku: { sku_id: state.order.sku.sku_id, title: state.order.sku.title },
            amount: { original_amount: state.cert.original_amount, pay_amount: state.cert.pay_amount },
          };
        }),
        cursor: page.length > 0 ? String(page[page.length - 1]!.seq) : query.cursor,
        has_more: matching.length > page.length,
      },
    };
  }

  bindOrderInfo(query: { account_id: string; code: string }): DeskAnswer {
    if (query.account_id !== SANDBOX_ACCOUNT_ID) return fail(3000007, '操作无权限', `无权查看账户 ${query.account_id}`);
    const orderId = this.reserveCodes.get(query.code);
    if (!orderId) return fail(4000001, '预导码不存在', `code ${query.code} 未绑定订单`);
    return { data: { order_id: orderId, code: query.code } };
  }

  // Controls for tests and demos: what happens on Douyin's side outside this API.

  refund(certificateId: string): void {
    const state = this.mustGet(certificateId);
    if (state.state !== 'unused') throw new Error(`certificate ${certificateId} is ${state.state}: only unused ones refund`);
    state.state = 'refunded';
    this.invalidateQr(state.order.order_id);
  }

  /** As if the merchant's own Douyin app verified it: the window's next verify meets a used certificate. */
  verifyElsewhere(certificateId: string): void {
    const state = this.mustGet(certificateId);
    if (state.state !== 'unused') throw new Error(`certificate ${certificateId} is ${state.state}`);
    this.record(state, state.order.poi_ids[0]!, null);
    this.invalidateQr(state.order.order_id);
  }

  /** As if the merchant's own Douyin app undid the verify: the record stays, marked undone. */
  cancelElsewhere(certificateId: string): void {
    const state = this.mustGet(certificateId);
    if (state.state !== 'used' || !state.verify) throw new Error(`certificate ${certificateId} is ${state.state}`);
    state.verify.record.cancel_time = Math.floor(this.now() / 1000);
    state.state = 'unused';
    delete state.verify;
    this.invalidateQr(state.order.order_id);
  }

  /** Douyin's records no longer list this certificate's verifies (a platform-side rollback): reconciliation must notice. */
  dropRecords(certificateId: string): void {
    this.mustGet(certificateId);
    for (let i = this.records.length - 1; i >= 0; i -= 1) {
      if (this.records[i]!.certificate_id === certificateId) this.records.splice(i, 1);
    }
  }

  /** Douyin may refuse an undo sooner than the hour; its answer is the truth. */
  refuseCancel(certificateId: string): void {
    this.mustGet(certificateId).cancelRefused = true;
  }

  ledger(): readonly CouponVerifyRecord[] {
    return this.records;
  }

  stateOf(certificateId: string): { state: CouponCertificate['state']; encryptedCode: string; verifyId?: string } | undefined {
    const state = this.certificates.get(certificateId);
    return (
      state && {
        state: state.state,
        encryptedCode: state.encryptedCode,
        ...(state.verify ? { verifyId: state.verify.record.verify_id } : {}),
      }
    );
  }

  private mustGet(certificateId: string): CertificateState {
    const state = this.certificates.get(certificateId);
    if (!state) throw new Error(`no certificate ${certificateId}`);
    return state;
  }

  private qrUsable(qr: QrData): boolean {
    return !qr.invalidated && this.now() - qr.issuedAt < this.qrLifetimeMs;
  }

  /** "如已经调用验券接口验券成功，则当前二维码会失效". */
  private invalidateQr(orderId: string): void {
    const current = this.currentQrOf.get(orderId);
    const qr = current ? this.qrByData.get(current) : undefined;
    if (qr) qr.invalidated = true;
  }

  private statusView(state: CertificateState): Record<string, unknown> {
    const verify = state.verify;
    return {
      certificate_id: BigInt(state.cert.certificate_id),
      encrypted_code: state.encryptedCode,
      order_id: state.order.order_id,
      status: STATUS[state.state],
      start_time: state.cert.start_time,
      expire_time: state.cert.expire_time,
      amount: { original_amount: state.cert.original_amount, pay_amount: state.cert.pay_amount },
      sku: state.order.sku,
      ...(verify
        ? {
            verify: {
              verify_id: verify.record.verify_id,
              verify_time: verify.record.verify_time,
              can_cancel: !state.cancelRefused && this.now() - verify.atMs <= CANCEL_WINDOW_MS,
            },
          }
        : {}),
    };
  }
}
