import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTripVerifyClient, type TripVerifyRequest } from '../../../electron/core/douyin';
import { fixedToken, startRig, startStub, type Rig } from './harness';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/douyin/${name}`, import.meta.url), 'utf8');
const successSample = fixture('verify-response-success.json');

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function captureRequest(req: TripVerifyRequest) {
  const stub = await startStub((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(successSample);
  });
  const client = createTripVerifyClient({ baseUrl: stub.url, tokenSource: fixedToken('clt.contract') });
  closers.push(() => client.close(), stub.close);
  const outcome = await client.verify(req);
  return { outcome, sent: stub.requests };
}

describe('client ↔ seed contract', () => {
  it.each(['verify-request-whole-order.json', 'verify-request-partial.json'])(
    'sends the seed request sample %s exactly',
    async (name) => {
      const sample = JSON.parse(fixture(name)) as TripVerifyRequest;
      const { sent } = await captureRequest(sample);
      expect(sent).toHaveLength(1);
      const [request] = sent;
      expect(request!.method).toBe('POST');
      expect(request!.url).toBe('/goodlife/v1/trip/certificate/verify/');
      expect(request!.headers['access-token']).toBe('clt.contract');
      expect(request!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request!.body)).toEqual(sample);
    },
  );

  it('writes int64 verify_time as a bare JSON integer without loss', async () => {
    const { sent } = await captureRequest({
      order_id: '8000004478714899970',
      verify_token: 'T1',
      verify_time: 4300662845701200745n,
      vouchers: [{ entrance: { project_id: 'a0' }, verify_time: 3036425988358547714n }],
    });
    expect(sent[0]!.body).toBe(
      '{"order_id":"8000004478714899970","verify_token":"T1","verify_time":4300662845701200745,' +
        '"vouchers":[{"entrance":{"project_id":"a0"},"verify_time":3036425988358547714}]}',
    );
  });

  it('omits absent optional fields rather than sending null', async () => {
    const { sent } = await captureRequest({ order_id: '1', verify_token: 'T', poi_id: undefined });
    expect(sent[0]!.body).toBe('{"order_id":"1","verify_token":"T"}');
  });

  it('refuses to send fields the seed does not define, or a number order_id', async () => {
    const stray = { order_id: '1', verify_token: 'T', qrcords: ['x'] } as unknown as TripVerifyRequest;
    // The point: a JS number cannot hold this id, so the client must refuse one.
    // eslint-disable-next-line no-loss-of-precision
    const numeric = { order_id: 8000004478714899970, verify_token: 'T' } as unknown as TripVerifyRequest;
    for (const req of [stray, numeric]) {
      const { outcome, sent } = await captureRequest(req);
      expect(outcome.kind).toBe('invalid_request');
      expect(sent).toHaveLength(0);
    }
  });

  it('parses the seed response sample over HTTP without losing digits', async () => {
    const { outcome } = await captureRequest({ order_id: '8000004478714899970', verify_token: 'ADVSADFA' });
    expect(outcome).toMatchObject({
      kind: 'verified',
      alreadyVerified: false,
      logid: '202412071758071D5ED8290E6EAD140594',
      verifyResults: [{ code: '6822424580978342000', verify_id: 'EoRTf2QQmG', certificate_id: 'mREaJYcJwZ' }],
    });
  });
});

describe('sandbox ↔ seed contract', () => {
  let rig: Rig;
  afterEach(async () => rig.close());

  async function postRaw(body: string) {
    const tokenAnswer = await fetch(`${rig.sandbox.url}/oauth/client_token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_key: 'sandbox_client_key',
        client_secret: 'sandbox_client_secret',
        grant_type: 'client_credential',
      }),
    });
    const token = ((await tokenAnswer.json()) as { data: { access_token: string } }).data.access_token;
    const answer = await fetch(`${rig.sandbox.url}/goodlife/v1/trip/certificate/verify/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'access-token': token },
      body,
    });
    return (await answer.json()) as { data: Record<string, unknown>; extra: Record<string, unknown> };
  }

  it.each(['verify-request-whole-order.json', 'verify-request-partial.json'])('verifies the seed sample %s', async (name) => {
    rig = await startRig();
    const answer = await postRaw(fixture(name));
    expect(answer.extra).toMatchObject({ error_code: 0, sub_error_code: 0 });
    expect(answer.data.error_code).toBe(0);
    expect(String(answer.extra.logid)).toMatch(/^\d{14}[0-9A-F]{20}$/);
    expect(rig.sandbox.ledger()).toHaveLength(1);
  });

  it('accepts every field of the seed curl sample (and then finds no such order)', async () => {
    rig = await startRig();
    const answer = await postRaw(fixture('verify-request-curl-sample.json'));
    expect(answer.extra.error_code).toBe(4000001);
  });
});
