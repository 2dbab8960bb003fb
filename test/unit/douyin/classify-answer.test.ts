import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyVerifyAnswer } from '../../../electron/core/douyin/classify-answer';
import type { VerifyOutcomeKind } from '../../../electron/core/douyin/outcome';

const sample = readFileSync(new URL('../../fixtures/douyin/verify-response-success.json', import.meta.url), 'utf8');

function errorAnswer(code: number, description = 'x', subDescription = '') {
  return JSON.stringify({
    data: { error_code: code, description },
    extra: { error_code: code, description, sub_error_code: 0, sub_description: subDescription, logid: 'LOG1', now: 1 },
  });
}

/** Every row of the seed's error table. */
const SEED_ERROR_TABLE: [number, VerifyOutcomeKind][] = [
  [2100001, 'transient'],
  [2100004, 'transient'],
  [2100005, 'invalid_request'],
  [2190002, 'token'],
  [2190004, 'configuration'],
  [2190008, 'token'],
  [2119001, 'invalid_request'],
  [2119002, 'transient'],
  [2119003, 'rate_limited'],
  [2119005, 'configuration'],
  [3000001, 'rejected'],
  [4000001, 'rejected'],
  [4000002, 'rejected'],
  [5000001, 'rejected'],
  [3000007, 'rejected'],
];

describe('classifyVerifyAnswer', () => {
  it('classifies the seed success sample as verified without losing the int64 code', () => {
    const outcome = classifyVerifyAnswer({ status: 200, body: sample });
    expect(outcome).toMatchObject({
      kind: 'verified',
      alreadyVerified: false,
      logid: '202412071758071D5ED8290E6EAD140594',
      httpStatus: 200,
    });
    if (outcome.kind !== 'verified') throw new Error('unreachable');
    expect(outcome.verifyResults[0]).toEqual({
      code: '6822424580978342000',
      msg: 'g2HcVmdnUz',
      verify_id: 'EoRTf2QQmG',
      certificate_id: 'mREaJYcJwZ',
    });
    expect(outcome.errorCode).toBeUndefined();
  });

  it.each(SEED_ERROR_TABLE)('code %i → %s', (code, kind) => {
    const outcome = classifyVerifyAnswer({ status: 200, body: errorAnswer(code, '业务错误', '子错误') });
    expect(outcome.kind).toBe(kind);
    expect(outcome.errorCode).toBe(code);
    expect(outcome.logid).toBe('LOG1');
    expect(outcome.httpStatus).toBe(200);
    if (outcome.kind === 'transient') expect(outcome.reachedDouyin).toBe(true);
    if (outcome.kind === 'rejected') {
      expect(outcome.description).toBe('业务错误');
      expect(outcome.subDescription).toBe('子错误');
      expect(outcome.retryable).toBe(code === 3000001);
    }
  });

  it('treats an unknown code as a rejection shown to staff, not retried', () => {
    expect(classifyVerifyAnswer({ status: 200, body: errorAnswer(9999999, '奇怪') })).toMatchObject({
      kind: 'rejected',
      retryable: false,
      description: '奇怪',
      errorCode: 9999999,
    });
  });

  it('needs both error codes to be 0 for success', () => {
    const body = JSON.stringify({
      data: { error_code: 4000001, description: '订单不存在' },
      extra: { error_code: 0, description: '', sub_error_code: 0, sub_description: '', logid: 'L', now: 1 },
    });
    expect(classifyVerifyAnswer({ status: 200, body })).toMatchObject({ kind: 'rejected', errorCode: 4000001 });
  });

  it.each([
    ['订单已核销', ''],
    ['业务错误', '重复核销'],
    ['error', 'order already verified'],
  ])('counts a business error saying "%s / %s" as already verified', (description, sub) => {
    expect(classifyVerifyAnswer({ status: 200, body: errorAnswer(4000002, description, sub) })).toMatchObject({
      kind: 'verified',
      alreadyVerified: true,
      verifyResults: [],
      errorCode: 4000002,
    });
  });

  it('does not read 未核销 or a system error as already verified', () => {
    expect(classifyVerifyAnswer({ status: 200, body: errorAnswer(4000002, '订单未核销') }).kind).toBe('rejected');
    expect(classifyVerifyAnswer({ status: 200, body: errorAnswer(2100005, '订单已核销') }).kind).toBe('invalid_request');
  });

  it.each([
    ['non-JSON', 200, '<html>gateway</html>', 'bad_body'],
    ['truncated JSON', 200, sample.slice(0, 80), 'bad_body'],
    ['JSON without the envelope', 200, '{"message":"ok"}', 'bad_body'],
    ['HTTP 502', 502, '<html>502</html>', 'http_status'],
    ['HTTP 504', 504, '', 'http_status'],
  ])('%s is transient and counts as reached', (_name, status, body, reason) => {
    expect(classifyVerifyAnswer({ status, body })).toMatchObject({
      kind: 'transient',
      reason,
      reachedDouyin: true,
      httpStatus: status,
    });
  });

  it('reads an envelope even on a 5xx status', () => {
    expect(classifyVerifyAnswer({ status: 500, body: errorAnswer(2119003) }).kind).toBe('rate_limited');
  });

  it('treats an HTTP 404 without envelope as configuration and 429 as rate limited', () => {
    expect(classifyVerifyAnswer({ status: 404, body: 'not found' }).kind).toBe('configuration');
    expect(classifyVerifyAnswer({ status: 429, body: '' }).kind).toBe('rate_limited');
  });
});
