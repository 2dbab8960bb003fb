import { describe, expect, it } from 'vitest';
import { seedDemoOrders } from '../../../electron/sandbox/order-book';
import { createManualClock, shanghaiDate } from '../../../electron/sandbox/clock';
import { checkVerifyBody } from '../../../electron/sandbox/request-validation';
import { parseStrictJson, writeJson } from '../../../electron/sandbox/strict-json';
import { TOKEN_GRACE_MS, TokenRegistry } from '../../../electron/sandbox/token-registry';

describe('sandbox token registry', () => {
  it('keeps only the two newest tokens, the older one for 5 minutes', () => {
    const clock = createManualClock(0);
    const registry = new TokenRegistry(clock.now, 7200);
    const t1 = registry.issue()!.token;
    const t2 = registry.issue()!.token;
    expect(registry.check(t1)).toBe('valid');
    clock.advance(TOKEN_GRACE_MS - 1);
    expect(registry.check(t1)).toBe('valid');
    clock.advance(1);
    expect(registry.check(t1)).toBe('expired');
    expect(registry.check(t2)).toBe('valid');

    const t3 = registry.issue()!.token;
    expect(registry.check(t2)).toBe('valid');
    registry.issue();
    expect(registry.check(t2)).toBe('expired'); // third newest, grace or not
    expect(registry.check(t3)).toBe('valid');
    expect(registry.check('clt.made-up')).toBe('unknown');
    expect(registry.check(undefined)).toBe('unknown');
  });

  it('expires a token after expires_in', () => {
    const clock = createManualClock(0);
    const registry = new TokenRegistry(clock.now, 60);
    const token = registry.issue()!.token;
    clock.advance(59_999);
    expect(registry.check(token)).toBe('valid');
    clock.advance(1);
    expect(registry.check(token)).toBe('expired');
  });

  it('refuses the 501st token call within 5 minutes', () => {
    const clock = createManualClock(0);
    const registry = new TokenRegistry(clock.now, 7200);
    for (let i = 0; i < 500; i++) expect(registry.issue()).toBeDefined();
    expect(registry.issue()).toBeUndefined();
    clock.advance(5 * 60_000);
    expect(registry.issue()).toBeDefined();
    expect(registry.callCount).toBe(502);
  });
});

describe('sandbox request validation', () => {
  const ok = (body: string) => checkVerifyBody('application/json', body);

  it('keeps int64 verify_time exact and tells numbers from strings', () => {
    const result = ok('{"order_id":"1","verify_token":"t","verify_time":4300662845701200745}');
    expect(result).toMatchObject({ ok: true, body: { verify_time: 4300662845701200745n } });
    expect(parseStrictJson('["9007199254740993", 9007199254740993]')).toEqual(['9007199254740993', 9007199254740993n]);
    expect(writeJson({ a: 9007199254740993n, b: 'x' })).toBe('{"a":9007199254740993,"b":"x"}');
  });

  it.each([
    ['{"order_id":8000004478714899970,"verify_token":"t"}', 2100005, 'order_id'],
    ['{"order_id":"1"}', 2100005, 'verify_token'],
    ['{"order_id":"1","verify_token":"t","verify_time":"1733565487"}', 2100005, 'verify_time'],
    ['{"order_id":"1","verify_token":"t","verify_time":1733565487.5}', 2100005, 'verify_time'],
    ['{"order_id":"1","verify_token":"t","poi":"x"}', 2100005, 'poi'],
    ['{"order_id":"1","verify_token":"t","vouchers":[{"entrance":{"qrcords":["x"]}}]}', 2119001, 'qrcords'],
    ['{"order_id":"1","verify_token":"t","vouchers":[{"entrance":{"project_id":0}}]}', 2119001, 'project_id'],
    ['{"order_id":"1","verify_token":"t",}', 2100005, 'not JSON'],
  ])('rejects %s with %i', (body, code, mention) => {
    const result = ok(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errorCode).toBe(code);
    expect(result.error.subDescription).toContain(mention);
  });

  it('requires content-type application/json', () => {
    expect(checkVerifyBody('text/plain', '{"order_id":"1","verify_token":"t"}')).toMatchObject({
      ok: false,
      error: { errorCode: 2100005 },
    });
    expect(checkVerifyBody('application/json; charset=utf-8', '{"order_id":"1","verify_token":"t"}').ok).toBe(true);
  });
});

describe('shanghaiDate', () => {
  it('rolls over at midnight Beijing time, not UTC', () => {
    expect(shanghaiDate(Date.UTC(2026, 10, 28, 15, 59, 59))).toBe('2026-11-28');
    expect(shanghaiDate(Date.UTC(2026, 10, 28, 16, 0, 0))).toBe('2026-11-29');
  });
});

describe('seedDemoOrders', () => {
  it('gives valid-today, tomorrow, multi-store and used orders with 19-digit ids', () => {
    const orders = seedDemoOrders('2026-12-31');
    expect(orders.every((o) => /^\d{19}$/.test(o.order_id))).toBe(true);
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
    expect(
      orders.filter((o) => o.visit_date === '2026-12-31' && o.state === 'paid' && !o.multi_store).length,
    ).toBeGreaterThanOrEqual(2);
    expect(orders.some((o) => o.visit_date === '2027-01-01')).toBe(true);
    expect(orders.some((o) => o.multi_store && o.poi_ids.length > 1)).toBe(true);
    expect(orders.some((o) => o.state === 'used')).toBe(true);
  });
});
