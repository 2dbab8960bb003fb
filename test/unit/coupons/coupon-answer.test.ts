import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { certificateState, certificateVerdict, classifyCouponAnswer } from '../../../electron/core/douyin';

const envelope = (data: string, code = 0) =>
  `{"data":${data},"extra":{"error_code":${code},"description":"","sub_error_code":0,"sub_description":"","logid":"L1","now":1}}`;

describe('coupon answers', () => {
  it('keeps an int64 certificate_id beyond 2^53 exact', () => {
    const outcome = classifyCouponAnswer(
      { status: 200, body: envelope('{"error_code":0,"description":"","id":7200000000000000001}') },
      z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
    );
    expect(outcome).toMatchObject({ kind: 'ok', logid: 'L1', data: { id: '7200000000000000001' } });
  });

  it('success needs both error codes at 0; data.error_code alone fails it', () => {
    expect(
      classifyCouponAnswer(
        { status: 200, body: envelope('{"error_code":4000001,"description":"券码不存在"}') },
        z.looseObject({}),
      ),
    ).toMatchObject({
      kind: 'rejected',
      errorCode: 4000001,
      description: '券码不存在',
    });
  });

  it('a success envelope whose data is not the expected shape is a transient bad body', () => {
    expect(
      classifyCouponAnswer({ status: 200, body: envelope('{"error_code":0}') }, z.looseObject({ verify_token: z.string() })),
    ).toMatchObject({
      kind: 'transient',
      reason: 'bad_body',
    });
  });

  it('per certificate: 0 verified, 1208 and 2 already verified, anything else refused', () => {
    expect([0, 1208, 2, 1001, 1].map((result) => certificateVerdict({ result, msg: '' }))).toEqual([
      'verified',
      'already_verified',
      'already_verified',
      'refused',
      'refused',
    ]);
    expect([1, 2, 3, 6, 7].map(certificateState)).toEqual(['unused', 'used', 'refund', 'refund', 'unknown']);
  });
});
