import { describe, expect, it } from 'vitest';
import { classifyCouponLink, objectIdOf, parseShortLinkHosts } from '../../../electron/core/douyin';

describe('short-link hosts (setting douyinShortLinkHosts / DOUYIN_SHORT_LINK_HOSTS)', () => {
  it('defaults to https://v.douyin.com', () => {
    expect(parseShortLinkHosts(undefined)).toEqual([{ protocol: 'https:', host: 'v.douyin.com' }]);
    expect(parseShortLinkHosts('  ')).toEqual([{ protocol: 'https:', host: 'v.douyin.com' }]);
  });

  it('takes hostnames and loopback test origins, comma or space separated', () => {
    expect(parseShortLinkHosts('v.douyin.com, V.IESDOUYIN.com http://127.0.0.1:5190')).toEqual([
      { protocol: 'https:', host: 'v.douyin.com' },
      { protocol: 'https:', host: 'v.iesdouyin.com' },
      { protocol: 'http:', host: '127.0.0.1:5190' },
    ]);
  });

  it.each([
    'http://v.douyin.com',
    'https://v.douyin.com/x',
    'http://10.0.0.1:80',
    'http://127.0.0.1:0',
    'localhost',
    '*.douyin.com',
  ])('refuses %s', (entry) => {
    expect(() => parseShortLinkHosts(entry)).toThrow(/not a short-link host/);
  });

  it('tells a short link, a long link and anything else apart without any request', () => {
    const hosts = parseShortLinkHosts(undefined);
    expect(classifyCouponLink('https://v.douyin.com/eHHc1ft/', hosts).kind).toBe('short_link');
    expect(classifyCouponLink('https://v.douyin.com/eHHc1ftXYZab', hosts).kind).toBe('short_link');
    expect(classifyCouponLink('https://www.iesdouyin.com/share/x/?object_id=abc', hosts)).toEqual({
      kind: 'long_link',
      encryptedData: 'abc',
    });
    expect(classifyCouponLink('https://evil.example/share/?object_id=abc', hosts).kind).toBe('not_coupon_link');
    expect(classifyCouponLink('https://v.douyin.com.evil.example/eHHc1ft/', hosts).kind).toBe('not_coupon_link');
    expect(classifyCouponLink('http://v.douyin.com/eHHc1ft/', hosts).kind).toBe('not_coupon_link');
    expect(classifyCouponLink('100000000001', hosts).kind).toBe('not_coupon_link');
  });

  it('reads only object_id, percent-decoded, never turning + into a space', () => {
    expect(objectIdOf(new URL('https://x.douyin.com/?a=1&object_id=a%2Bb+c%3D&b=2'))).toBe('a+b+c=');
    expect(objectIdOf(new URL('https://x.douyin.com/?xobject_id=1'))).toBeUndefined();
    expect(objectIdOf(new URL('https://x.douyin.com/?object_id=%E0%A4%A'))).toBeUndefined();
  });
});
