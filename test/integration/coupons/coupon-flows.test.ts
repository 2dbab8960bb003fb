import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { CouponOutcome } from '../../../electron/core/douyin';
import { CANCEL_WINDOW_MS, DEFAULT_QR_LIFETIME_MS, SANDBOX_ACCOUNT_ID } from '../../../electron/sandbox';
import { EXPIRED, NOT_YET, ONE, POI, REFUNDED, startCouponRig, THREE, USED, type CouponRig } from './harness';

let rig: CouponRig;
beforeEach(async () => {
  rig = await startCouponRig();
});
afterEach(async () => rig.close());

function ok<T>(outcome: CouponOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.data;
}

async function prepareByCode(code: string) {
  return ok(await rig.client.prepare({ code, poi_id: POI }));
}

describe('Douyin-code coupons against the sandbox over HTTP', () => {
  it('short link → prepare → verify, keeping verify_id and an int64 certificate_id exactly; the QR is spent afterwards', async () => {
    const { shortLink, encryptedData } = rig.sandbox.coupons.qr(ONE.order);
    const resolved = await rig.resolver.resolve(shortLink.replace(/\/$/, ''));
    expect(resolved).toEqual({ kind: 'resolved', encryptedData });
    // The sandbox's QR data always carries + / =: sent unencoded it would arrive with a space.
    expect(encryptedData).toMatch(/\+.*\/.*=$/);

    const prepared = ok(await rig.client.prepare({ encrypted_data: encryptedData, poi_id: POI }));
    expect(prepared.order_id).toBe(ONE.order);
    expect(prepared.certificates).toHaveLength(1);
    const cert = prepared.certificates[0]!;
    expect(cert).toMatchObject({
      certificate_id: ONE.cert,
      amount: { original_amount: 9900, pay_amount: 9900 },
      sku: { title: '成人门票（团购）' },
    });

    const verified = ok(
      await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [cert.encrypted_code] }),
    );
    const state = rig.sandbox.coupons.stateOf(ONE.cert)!;
    expect(verified.results).toEqual([
      expect.objectContaining({ verdict: 'verified', result: 0, certificate_id: ONE.cert, verify_id: state.verifyId }),
    ]);
    expect(rig.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);

    // "如已经调用验券接口验券成功，则当前二维码会失效".
    const again = await rig.client.prepare({ encrypted_data: encryptedData, poi_id: POI });
    expect(again).toMatchObject({ kind: 'rejected', errorCode: 4000002, description: '二维码已失效，请刷新后重试' });
    expect(rig.sandbox.coupons.qr(ONE.order).encryptedData).not.toBe(encryptedData);
  });

  it('refuses QR data that aged out, and prepares with the refreshed QR', async () => {
    const old = rig.sandbox.coupons.qr(ONE.order).encryptedData;
    rig.clock.advance(DEFAULT_QR_LIFETIME_MS);
    expect(await rig.client.prepare({ encrypted_data: old, poi_id: POI })).toMatchObject({
      kind: 'rejected',
      errorCode: 4000002,
    });
    const fresh = rig.sandbox.coupons.qr(ONE.order).encryptedData;
    expect(ok(await rig.client.prepare({ encrypted_data: fresh, poi_id: POI })).certificates).toHaveLength(1);
  });

  it('prepares a typed plain code and verifies a chosen 2 of 3 certificates, leaving the third unused', async () => {
    const prepared = await prepareByCode(THREE.code);
    expect(prepared.certificates.map((c) => c.certificate_id)).toEqual(THREE.certs);
    const chosen = prepared.certificates.slice(0, 2).map((c) => c.encrypted_code);
    const verified = ok(await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: chosen }));
    expect(verified.results.map((r) => [r.certificate_id, r.verdict])).toEqual([
      [THREE.certs[0], 'verified'],
      [THREE.certs[1], 'verified'],
    ]);
    const statuses = ok(await rig.client.queryCertificates({ order_id: THREE.order }));
    expect(statuses.map((s) => [s.certificate_id, s.status])).toEqual([
      [THREE.certs[0], 2],
      [THREE.certs[1], 2],
      [THREE.certs[2], 1],
    ]);
    // Only the unused one is listed on the next prepare.
    expect((await prepareByCode(THREE.code)).certificates.map((c) => c.certificate_id)).toEqual([THREE.certs[2]]);
  });

  it('lists an expired certificate but refuses it per certificate; a not-yet-valid one likewise', async () => {
    for (const [code, msg] of [
      [EXPIRED.code, '券码已过期'],
      [NOT_YET.code, '券码未到可用时间'],
    ] as const) {
      const prepared = await prepareByCode(code);
      const cert = prepared.certificates[0]!;
      const verified = ok(
        await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [cert.encrypted_code] }),
      );
      expect(verified.results).toEqual([expect.objectContaining({ verdict: 'refused', msg })]);
      expect(verified.results[0]!.verify_id).toBeUndefined();
    }
    expect(rig.sandbox.coupons.ledger().filter((r) => r.verify_token !== null)).toHaveLength(0);
  });

  it('lists nothing for a refunded or used coupon; the status query says which', async () => {
    const refunded = await prepareByCode(REFUNDED.code);
    expect(refunded).toMatchObject({ order_id: REFUNDED.order, certificates: [] });
    expect(ok(await rig.client.queryCertificates({ order_id: refunded.order_id }))[0]).toMatchObject({
      certificate_id: REFUNDED.cert,
      status: 4,
    });
    const used = await prepareByCode(USED.code);
    expect(used.certificates).toEqual([]);
    expect(ok(await rig.client.queryCertificates({ order_id: used.order_id }))[0]).toMatchObject({ status: 2 });
  });

  it('a certificate refunded between prepare and verify is refused, not verified', async () => {
    const prepared = await prepareByCode(ONE.code);
    rig.sandbox.coupons.refund(ONE.cert);
    const verified = ok(
      await rig.client.verify({
        verify_token: prepared.verify_token,
        poi_id: POI,
        encrypted_codes: [prepared.certificates[0]!.encrypted_code],
      }),
    );
    expect(verified.results[0]).toMatchObject({ verdict: 'refused', msg: '券码已退款' });
  });

  it('a retry with the same verify_token after the answer was lost answers 1208: already verified, verified once', async () => {
    const prepared = await prepareByCode(ONE.code);
    const req = { verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [prepared.certificates[0]!.encrypted_code] };
    rig.sandbox.coupons.injectFault('verify', { kind: 'drop_before_answer', afterProcessing: true }, 1);
    expect(await rig.client.verify(req)).toMatchObject({ kind: 'transient', reachedDouyin: false });
    const retry = ok(await rig.client.verify(req));
    expect(retry.results).toEqual([
      expect.objectContaining({ result: 1208, verdict: 'already_verified', certificate_id: ONE.cert }),
    ]);
    expect(rig.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);
    // The repeat carries no verify_id: the status query supplies it for a later undo.
    const status = ok(await rig.client.getCertificate({ encrypted_code: req.encrypted_codes[0]! }));
    expect(status.verify).toMatchObject({ verify_id: rig.sandbox.coupons.stateOf(ONE.cert)!.verifyId, can_cancel: true });
  });

  it('answers 1208 on a first attempt when the coupon was used elsewhere meanwhile (the caller must call it a conflict)', async () => {
    const prepared = await prepareByCode(ONE.code);
    rig.sandbox.coupons.verifyElsewhere(ONE.cert);
    const first = ok(
      await rig.client.verify({
        verify_token: prepared.verify_token,
        poi_id: POI,
        encrypted_codes: [prepared.certificates[0]!.encrypted_code],
      }),
    );
    expect(first.results[0]).toMatchObject({ result: 1208, verdict: 'already_verified' });
    expect(
      rig.sandbox.coupons
        .ledger()
        .filter((r) => r.certificate_id === ONE.cert)
        .map((r) => r.verify_token),
    ).toEqual([null]);
  });

  it('reads result 2 as already verified too', async () => {
    await rig.close();
    rig = await startCouponRig({ sandbox: { coupon: { repeatResult: 2 } } });
    const prepared = await prepareByCode(ONE.code);
    const req = { verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [prepared.certificates[0]!.encrypted_code] };
    ok(await rig.client.verify(req));
    expect(ok(await rig.client.verify(req)).results[0]).toMatchObject({ result: 2, verdict: 'already_verified' });
  });

  it('refuses a verify_token reused for other certificates, and one that expired', async () => {
    const prepared = await prepareByCode(THREE.code);
    const [a, b] = prepared.certificates.map((c) => c.encrypted_code);
    ok(await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [a!] }));
    expect(await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [b!] })).toMatchObject({
      kind: 'invalid_request',
      errorCode: 2119001,
    });
    const later = await prepareByCode(THREE.code);
    rig.clock.advance(11 * 60_000);
    expect(await rig.client.verify({ verify_token: later.verify_token, poi_id: POI, encrypted_codes: [b!] })).toMatchObject({
      kind: 'rejected',
      description: 'verify_token 已过期',
    });
  });

  it('the client refuses a verify without poi_id or codes before sending anything', async () => {
    const before = rig.sandbox.coupons.requestCount('verify');
    expect(await rig.client.verify({ verify_token: 'x', poi_id: '', encrypted_codes: ['a'] })).toMatchObject({
      kind: 'invalid_request',
    });
    expect(await rig.client.verify({ verify_token: 'x', poi_id: POI, encrypted_codes: [] })).toMatchObject({
      kind: 'invalid_request',
    });
    expect(await rig.client.prepare({ poi_id: POI })).toMatchObject({ kind: 'invalid_request' });
    expect(rig.sandbox.coupons.requestCount('verify')).toBe(before);
  });

  it('undoes a verification within the hour; the certificate is unused again and its record shows the undo', async () => {
    const prepared = await prepareByCode(ONE.code);
    const verified = ok(
      await rig.client.verify({
        verify_token: prepared.verify_token,
        poi_id: POI,
        encrypted_codes: [prepared.certificates[0]!.encrypted_code],
      }),
    );
    const { certificate_id, verify_id } = verified.results[0]!;
    rig.clock.advance(CANCEL_WINDOW_MS);
    ok(await rig.client.cancel({ certificate_id: certificate_id!, verify_id: verify_id! }));
    expect(rig.sandbox.coupons.stateOf(ONE.cert)!.state).toBe('unused');
    expect(rig.sandbox.coupons.ledger().at(-1)!.cancel_time).not.toBeNull();
    expect(await rig.client.cancel({ certificate_id: certificate_id!, verify_id: verify_id! })).toMatchObject({
      kind: 'rejected',
      errorCode: 4000001,
    });
  });

  it('refuses an undo past the hour, and one Douyin refuses sooner', async () => {
    const prepared = await prepareByCode(THREE.code);
    const verified = ok(
      await rig.client.verify({
        verify_token: prepared.verify_token,
        poi_id: POI,
        encrypted_codes: prepared.certificates.slice(0, 2).map((c) => c.encrypted_code),
      }),
    );
    const [late, blocked] = verified.results;
    rig.sandbox.coupons.refuseCancel(blocked!.certificate_id!);
    expect(await rig.client.cancel({ certificate_id: blocked!.certificate_id!, verify_id: blocked!.verify_id! })).toMatchObject({
      kind: 'rejected',
      errorCode: 3000001,
      retryable: true,
    });
    rig.clock.advance(CANCEL_WINDOW_MS + 1000);
    const status = ok(await rig.client.getCertificate({ encrypted_code: prepared.certificates[0]!.encrypted_code }));
    expect(status.verify?.can_cancel).toBe(false);
    expect(await rig.client.cancel({ certificate_id: late!.certificate_id!, verify_id: late!.verify_id! })).toMatchObject({
      kind: 'rejected',
      errorCode: 3000001,
      description: '已超过可撤销时限',
    });
    expect(rig.sandbox.coupons.stateOf(late!.certificate_id!)!.state).toBe('used');
  });

  it('pages verify records by cursor, 20 at a most, and lists undone ones with their status', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      order_id: `10900000001${String(i).padStart(8, '0')}`,
      poi_ids: [POI],
      sku: { sku_id: '1', title: `套票${i}`, groupon_type: 1 },
      certificates: [
        {
          certificate_id: `73000000000${String(i).padStart(8, '0')}`,
          code: `2000000000${String(i).padStart(2, '0')}`,
          original_amount: 100 + i,
          pay_amount: 100 + i,
          start_time: 0,
          expire_time: 4_000_000_000,
        },
      ],
    }));
    rig.sandbox.coupons.add(many);
    let lastVerify: { certificate_id?: string; verify_id?: string } = {};
    for (const order of many) {
      const prepared = await prepareByCode(order.certificates[0]!.code);
      const verified = ok(
        await rig.client.verify({
          verify_token: prepared.verify_token,
          poi_id: POI,
          encrypted_codes: [prepared.certificates[0]!.encrypted_code],
        }),
      );
      lastVerify = verified.results[0]!;
    }
    ok(await rig.client.cancel({ certificate_id: lastVerify.certificate_id!, verify_id: lastVerify.verify_id! }));
    const first = ok(
      await rig.client.queryVerifyRecords({ account_id: SANDBOX_ACCOUNT_ID, cursor: '0', size: 20, poi_ids: [POI] }),
    );
    expect(first.records).toHaveLength(20);
    expect(first.has_more).toBe(true);

    const all = ok(await rig.client.listVerifyRecords({ account_id: SANDBOX_ACCOUNT_ID, poi_ids: [POI] }));
    expect(all).toMatchObject({ pages: 3, complete: true });
    // The demo book's used coupon was verified (elsewhere) first, then the 45 verified here.
    expect(all.records.map((r) => r.certificate_id)).toEqual([
      '7200000000000000008',
      ...many.map((o) => o.certificates[0]!.certificate_id),
    ]);
    expect(all.records[44]).toMatchObject({ status: 1, amount: { pay_amount: 143 } });
    expect(all.records[45]).toMatchObject({ status: 2, certificate_id: lastVerify.certificate_id });

    expect(await rig.client.queryVerifyRecords({ account_id: SANDBOX_ACCOUNT_ID, cursor: '0', size: 21 })).toMatchObject({
      kind: 'invalid_request',
    });
    expect(await rig.client.queryVerifyRecords({ account_id: '1', cursor: '0', size: 20 })).toMatchObject({
      kind: 'rejected',
      errorCode: 3000007,
    });
  });

  it('the sandbox itself refuses a page size above 20 and an unencoded "+" (arriving as a space)', async () => {
    const token = await tokenFor(rig);
    const records = await request(
      `${rig.sandbox.url}/goodlife/v1/fulfilment/certificate/verify_record/query/?account_id=${SANDBOX_ACCOUNT_ID}&cursor=0&size=21`,
      {
        headers: { 'access-token': token },
      },
    );
    expect(((await records.body.json()) as { extra: { error_code: number } }).extra.error_code).toBe(2100005);
    const data = rig.sandbox.coupons.qr(ONE.order).encryptedData;
    const raw = await request(`${rig.sandbox.url}/goodlife/v1/fulfilment/certificate/prepare/?encrypted_data=${data}`, {
      headers: { 'access-token': token },
    });
    expect(((await raw.body.json()) as { extra: { error_code: number } }).extra.error_code).toBe(2100005);
  });

  it('paces verify-record pages within the 100 QPS the sandbox enforces, where an unpaced burst is refused', async () => {
    const token = await tokenFor(rig);
    const url = `${rig.sandbox.url}/goodlife/v1/fulfilment/certificate/verify_record/query/?account_id=${SANDBOX_ACCOUNT_ID}&cursor=0&size=1`;
    const burst = await Promise.all(
      Array.from({ length: 150 }, async () => {
        const answer = await request(url, { headers: { 'access-token': token } });
        return ((await answer.body.json()) as { extra: { error_code: number } }).extra.error_code;
      }),
    );
    expect(burst).toContain(2119003);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const paced = await Promise.all(
      Array.from({ length: 150 }, () => rig.client.queryVerifyRecords({ account_id: SANDBOX_ACCOUNT_ID, cursor: '0', size: 1 })),
    );
    expect(paced.filter((o) => o.kind !== 'ok')).toEqual([]);
  });

  it('finds the Douyin order of a pre-imported code, and says when there is none', async () => {
    expect(await rig.client.bindOrderInfo({ account_id: SANDBOX_ACCOUNT_ID, code: 'YD2026000001' })).toMatchObject({
      kind: 'ok',
      data: { orderId: '8000004478714899971' },
    });
    expect(await rig.client.bindOrderInfo({ account_id: SANDBOX_ACCOUNT_ID, code: 'NOPE' })).toMatchObject({
      kind: 'rejected',
      errorCode: 4000001,
    });
  });

  it.each([
    [2100004, 'transient'],
    [2119003, 'rate_limited'],
    [2100005, 'invalid_request'],
    [2119005, 'configuration'],
    [5000001, 'rejected'],
  ])('error %i on prepare → %s', async (code, kind) => {
    rig.sandbox.coupons.injectFault('prepare', { kind: 'error_code', errorCode: code }, 1);
    expect(await rig.client.prepare({ code: ONE.code, poi_id: POI })).toMatchObject({ kind, errorCode: code });
  });

  it('retries once with a fresh token on 2190008, and reads an HTML gateway error as transient', async () => {
    rig.sandbox.coupons.injectFault('get', { kind: 'error_code', errorCode: 2190008 }, 1);
    const code = rig.sandbox.coupons.stateOf(ONE.cert)!.encryptedCode;
    expect(await rig.client.getCertificate({ encrypted_code: code })).toMatchObject({ kind: 'ok', data: { status: 1 } });
    rig.sandbox.coupons.injectFault('verify', { kind: 'http_status', status: 502 }, 1);
    const prepared = await prepareByCode(ONE.code);
    expect(await rig.client.verify({ verify_token: prepared.verify_token, poi_id: POI, encrypted_codes: [code] })).toMatchObject({
      kind: 'transient',
      reason: 'http_status',
    });
    expect(rig.sandbox.coupons.verificationsOf(ONE.cert)).toBe(0);
  });
});

async function tokenFor(r: CouponRig): Promise<string> {
  const answer = await request(`${r.sandbox.url}/oauth/client_token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_key: 'sandbox_client_key',
      client_secret: 'sandbox_client_secret',
      grant_type: 'client_credential',
    }),
  });
  return ((await answer.body.json()) as { data: { access_token: string } }).data.access_token;
}
