import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShortLinkResolver, parseShortLinkHosts } from '../../../electron/core/douyin';
import { startStub } from '../douyin/harness';
import { ONE, startCouponRig, type CouponRig } from './harness';

type Stub = Awaited<ReturnType<typeof startStub>>;
let rig: CouponRig;
let recorder: Stub;

beforeEach(async () => {
  // A second local server that records any request: a correct resolver never reaches it.
  recorder = await startStub((_req, res) => {
    res.writeHead(302, { location: 'https://www.iesdouyin.com/share/?object_id=FROM_RECORDER' });
    res.end();
  });
  rig = await startCouponRig({ sandbox: { coupon: { longLinkBase: recorder.url } } });
});
afterEach(async () => {
  await rig.close();
  await recorder.close();
});

describe('short-link resolver', () => {
  it('reads object_id from the redirect and never follows it (the redirect points at the recorder)', async () => {
    const { shortLink, encryptedData } = rig.sandbox.coupons.qr(ONE.order);
    expect(await rig.resolver.resolve(shortLink)).toEqual({ kind: 'resolved', encryptedData });
    expect(await rig.resolver.resolve(shortLink.slice(0, -1))).toEqual({ kind: 'resolved', encryptedData });
    expect(rig.sandbox.coupons.shortLinkRequests()).toHaveLength(2);
    expect(recorder.requests).toHaveLength(0);
  });

  it('never contacts a host it was not told to trust, however the link dresses it up', async () => {
    const port = new URL(rig.sandbox.coupons.shortLinkUrl).port;
    const other = new URL(recorder.url);
    const links = [
      `${recorder.url}/eHHc1ft/`,
      `${recorder.url}/eHHc1ft/?object_id=`,
      `http://127.0.0.1:${port}@127.0.0.1:${other.port}/abc/`,
      `http://user:pw@127.0.0.1:${port}/abc/`,
      `http://localhost:${other.port}/abc`,
      `https://127.0.0.1:${port}/abc/`,
      `ftp://127.0.0.1:${port}/abc/`,
      'not a url',
    ];
    for (const link of links) expect(await rig.resolver.resolve(link), link).toEqual({ kind: 'not_allowed' });
    expect(recorder.requests).toHaveLength(0);
    expect(rig.sandbox.coupons.shortLinkRequests()).toHaveLength(0);
  });

  it('reads a long share URL directly, with no request at all, keeping "+" as "+"', async () => {
    const resolver = createShortLinkResolver({ hosts: parseShortLinkHosts(undefined) });
    try {
      const long =
        'https://www.iesdouyin.com/share/commerce/coupon/I0Zw/?schema_type=13&object_id=I0Zw+ab%2Fcd%3D&utm_campaign=client_scan_share';
      expect(await resolver.resolve(long)).toEqual({ kind: 'resolved', encryptedData: 'I0Zw+ab/cd=' });
      // No internet here: had the resolver tried to fetch anything, it could not have resolved.
    } finally {
      await resolver.close();
    }
  });

  it('says so when the trusted host answers without a redirect carrying object_id', async () => {
    const resolver = createShortLinkResolver({ hosts: parseShortLinkHosts(rig.sandbox.coupons.shortLinkUrl) });
    try {
      expect(await resolver.resolve(`${rig.sandbox.coupons.shortLinkUrl}/unknownSlug/`)).toEqual({
        kind: 'no_object_id',
        httpStatus: 404,
      });
    } finally {
      await resolver.close();
    }
  });

  it('reports an unreachable short-link host as unreachable', async () => {
    rig.sandbox.setOffline(true);
    const { shortLink } = rig.sandbox.coupons.qr(ONE.order);
    expect(await rig.resolver.resolve(shortLink)).toMatchObject({ kind: 'unreachable' });
  });
});
