import { randomBytes } from 'node:crypto';
import { shanghaiDate, type Clock } from './clock';
import type { ErrorInfo } from './envelope';
import type { SandboxOrder } from './order-book';
import type { VerifyBody } from './request-validation';

/** One successful verification, recorded exactly once. */
export interface LedgerEntry {
  seq: number;
  order_id: string;
  project_ids: string[];
  verify_token: string;
  poi_id: string | null;
  /** verify_time exactly as received (decimal digits), null when absent. */
  verify_time: string | null;
  /** Sandbox clock, ms. */
  at: number;
  verify_ids: string[];
}

export interface DeskAnswer {
  data: Record<string, unknown>;
  error?: ErrorInfo;
}

/**
 * Sandbox rule for a repeat verify (new verify_token, nothing left to verify). Douyin does not
 * document this answer; it matches the client's "already verified" rule (business code whose
 * text says 已核销 / 重复核销).
 */
const ALREADY_VERIFIED: ErrorInfo = {
  errorCode: 4000002,
  description: '订单已核销',
  subDescription: '重复核销：该订单（项目）已核销',
};

/** Sample-like int64 codes, deliberately above 2^53 and not representable as a double. */
const FIRST_RESULT_CODE = 6822424580978342001n;

interface OrderState {
  order: SandboxOrder;
  verified: Set<string>;
}

/** Verify rules on the order book: no HTTP here, so tests can reason about it directly. */
export class VerifyDesk {
  private readonly orders = new Map<string, OrderState>();
  private readonly answersByToken = new Map<string, { fingerprint: string; data: Record<string, unknown> }>();
  private readonly entries: LedgerEntry[] = [];
  private resultSeq = 0n;

  constructor(private readonly now: Clock) {}

  addOrder(order: SandboxOrder): void {
    const used = order.state === 'used' ? order.projects.map((p) => p.project_id) : [];
    this.orders.set(order.order_id, { order, verified: new Set(used) });
  }

  orderState(orderId: string): { order: SandboxOrder; verifiedProjectIds: string[] } | undefined {
    const state = this.orders.get(orderId);
    return state && { order: state.order, verifiedProjectIds: [...state.verified] };
  }

  ledger(): readonly LedgerEntry[] {
    return this.entries;
  }

  verify(body: VerifyBody): DeskAnswer {
    const state = this.orders.get(body.order_id);
    const requested = state ? requestedProjects(body, state.order) : [];
    const fingerprint = JSON.stringify([body.order_id, [...requested].sort(), body.poi_id ?? null]);

    // verify_token is the idempotency key: the same request gets the same answer, never a
    // second verification.
    const earlier = this.answersByToken.get(body.verify_token);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) return { data: earlier.data };
      return fail(2119001, '参数不合法', 'verify_token 已用于另一个核销请求');
    }

    if (!state) return fail(4000001, '订单不存在', `order_id ${body.order_id} 不存在`);
    const { order } = state;
    if (order.state === 'refunded') return fail(4000002, '订单已退款', '已退款订单不可核销');
    if (order.multi_store && !body.poi_id) return fail(2100005, '参数不合法', '多门店日历票核销必须传 poi_id');
    if (body.poi_id && !order.poi_ids.includes(body.poi_id)) {
      return fail(3000007, '操作无权限', `门店 ${body.poi_id} 不可核销该订单`);
    }
    const today = shanghaiDate(this.now());
    if (today < order.visit_date) {
      return fail(4000002, '不支持提前核销', `预约日期 ${order.visit_date}，今天 ${today}`);
    }
    const unknown = requested.filter((id) => !order.projects.some((p) => p.project_id === id));
    if (unknown.length > 0) return fail(4000001, '核销项目不存在', `project_id ${unknown.join(',')} 不属于该订单`);

    const toVerify = requested.filter((id) => !state.verified.has(id));
    if (toVerify.length === 0) return { data: {}, error: ALREADY_VERIFIED };

    const verifyIds = toVerify.map(() => randomBytes(8).toString('hex'));
    const data = {
      verify_results: toVerify.map((projectId, i) => ({
        code: FIRST_RESULT_CODE + this.resultSeq++,
        msg: '核销成功',
        verify_id: verifyIds[i],
        certificate_id: `${order.order_id}-${projectId}`,
      })),
    };
    for (const id of toVerify) state.verified.add(id);
    this.entries.push({
      seq: this.entries.length + 1,
      order_id: order.order_id,
      project_ids: toVerify,
      verify_token: body.verify_token,
      poi_id: body.poi_id ?? null,
      verify_time: body.verify_time === undefined ? null : body.verify_time.toString(),
      at: this.now(),
      verify_ids: verifyIds,
    });
    this.answersByToken.set(body.verify_token, { fingerprint, data });
    return { data };
  }
}

/** project_ids named in vouchers (entrance and projects); none named means the whole order. */
function requestedProjects(body: VerifyBody, order: SandboxOrder): string[] {
  const named = (body.vouchers ?? []).flatMap((v) =>
    [v.entrance, ...(v.projects ?? [])].flatMap((part) => (part?.project_id ? [part.project_id] : [])),
  );
  return named.length > 0 ? [...new Set(named)] : order.projects.map((p) => p.project_id);
}

function fail(errorCode: number, description: string, subDescription: string): DeskAnswer {
  return { data: {}, error: { errorCode, description, subDescription } };
}
