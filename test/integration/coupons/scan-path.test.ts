import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_POI_ID } from '../../../electron/sandbox';
import { startHarness, until, type Harness } from '../../support/core-harness';
import { ONE, THREE } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const submit = (raw: string) => h!.core.routes['scan.submit']({ raw, source: 'scanner' });
const row = <T>(sql: string, ...args: unknown[]) => h!.core.db.prepare(sql).get(...args) as T;

async function start(settings: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness({ ...settings, settings: { poiId: DEMO_POI_ID, ...settings.settings } });
  return h;
}

describe('Douyin-code coupons on the scan path (coupons issue)', () => {
  it('a scanned short link prepares and verifies its one certificate at once: green, one person, the amount kept', async () => {
    await start();
    const { shortLink } = h!.sandbox.coupons.qr(ONE.order);
    const answer = await submit(shortLink);
    expect(answer).toMatchObject({
      verdict: 'verified',
      admit: true,
      orderId: ONE.order,
      coupon: { people: 1, amountsFen: [9900], title: '成人门票（团购）' },
    });
    expect(h!.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);
    const scan = row<{ people: number; amount_fen: number; project_name: string }>(
      'SELECT people, amount_fen, project_name FROM scans WHERE id = ?',
      answer.scanId,
    );
    expect(scan).toEqual({ people: 1, amount_fen: 9900, project_name: '成人门票（团购）' });
    // The undo needs both ids: kept per certificate.
    const cert = row<{ certificate_id: string; verify_id: string | null }>(
      'SELECT certificate_id, verify_id FROM coupon_certificates WHERE scan_id = ?',
      answer.scanId,
    );
    expect(cert).toEqual({ certificate_id: ONE.cert, verify_id: h!.sandbox.coupons.stateOf(ONE.cert)!.verifyId });
  });

  it('a typed code with three certificates asks how many; confirming 2 verifies exactly 2 and leaves the third', async () => {
    await start();
    const asked = await submit(THREE.code);
    expect(asked).toMatchObject({ verdict: 'confirm', admit: false, scanId: null, coupon: { unused: 3, people: 3 } });
    // Nothing is verified while the staff decide.
    expect(THREE.certs.map((c) => h!.sandbox.coupons.verificationsOf(c))).toEqual([0, 0, 0]);
    const done = await h!.core.routes['scan.confirmCoupon']({ prepareId: asked.coupon!.prepareId!, count: 2 });
    expect(done).toMatchObject({ verdict: 'verified', admit: true, coupon: { people: 2, amountsFen: [6800, 6800] } });
    expect(THREE.certs.map((c) => h!.sandbox.coupons.verificationsOf(c))).toEqual([1, 1, 0]);
    // A second Enter on the same prepare verifies nothing more.
    await expect(h!.core.routes['scan.confirmCoupon']({ prepareId: asked.coupon!.prepareId!, count: 1 })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(THREE.certs.map((c) => h!.sandbox.coupons.verificationsOf(c))).toEqual([1, 1, 0]);
  });

  it('Esc at the confirm step records a cancelled scan and verifies nothing', async () => {
    await start();
    const asked = await submit(THREE.code);
    const cancelled = h!.core.routes['scan.cancelCoupon']({ prepareId: asked.coupon!.prepareId! });
    expect(cancelled).toMatchObject({ verdict: 'refused', reason: 'coupon_cancelled', admit: false });
    expect(row<{ reason: string }>('SELECT reason FROM scans WHERE id = ?', (await cancelled).scanId).reason).toBe(
      'coupon_cancelled',
    );
    expect(THREE.certs.map((c) => h!.sandbox.coupons.verificationsOf(c))).toEqual([0, 0, 0]);
  });

  it('refuses expired, not-yet-valid, refunded and used coupons before any verify, and an unknown code as not found', async () => {
    await start();
    const reasons = [];
    for (const code of ['100000000005', '100000000006', '100000000007', '100000000008', '999999999999']) {
      reasons.push((await submit(code)).reason);
    }
    // Prepare lists only unused certificates; the status query tells refunded from used.
    expect(reasons).toEqual(['coupon_expired', 'coupon_not_yet_valid', 'coupon_refunded', 'coupon_used', 'not_found']);
    expect(h!.sandbox.coupons.requestCount('verify')).toBe(0);
  });

  it('without Douyin a coupon is recorded and answered amber, never admitted, and nothing is queued', async () => {
    await start({ settings: { offlineAdmits: true } });
    h!.sandbox.coupons.injectFault('prepare', { kind: 'drop_before_answer', afterProcessing: false }, 5);
    const answer = await submit(ONE.code);
    expect(answer).toMatchObject({ verdict: 'offline', reason: 'coupon_needs_network', admit: false });
    expect(row<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').n).toBe(0);
  });

  it('the answer to the verify cut short: the retry answers 1208, which counts as ours, verified exactly once', async () => {
    await start();
    h!.sandbox.coupons.injectFault('verify', { kind: 'truncated_json' }, 1);
    const answer = await submit(ONE.code);
    // Douyin has not said yes in words the window heard: not admitted yet, and said so.
    expect(answer).toMatchObject({ verdict: 'offline', reason: 'coupon_checking', admit: false });
    const outbox = () => row<{ state: string }>('SELECT state FROM outbox WHERE scan_id = ?', answer.scanId).state;
    await until(() => outbox() === 'verified', 20_000, 'the retry');
    expect(h!.sandbox.coupons.verificationsOf(ONE.cert)).toBe(1);
    // The repeat carried no verify_id; the status query gave it, so the undo stays possible.
    const cert = row<{ verify_id: string | null }>('SELECT verify_id FROM coupon_certificates WHERE scan_id = ?', answer.scanId);
    expect(cert.verify_id).toBe(h!.sandbox.coupons.stateOf(ONE.cert)!.verifyId);
  });

  it('1208 on a first attempt means used elsewhere: refused as already used, never admitted', async () => {
    await start();
    const asked = await submit(THREE.code);
    h!.sandbox.coupons.verifyElsewhere(THREE.certs[0]!);
    h!.sandbox.coupons.verifyElsewhere(THREE.certs[1]!);
    const done = await h!.core.routes['scan.confirmCoupon']({ prepareId: asked.coupon!.prepareId!, count: 2 });
    expect(done).toMatchObject({ verdict: 'refused', reason: 'already_used', admit: false });
  });

  it('a QR from a host the window does not trust is never fetched', async () => {
    await start();
    const answer = await submit('https://v.douyin.example/abc/');
    expect(answer.admit).toBe(false);
    expect(h!.sandbox.coupons.shortLinkRequests()).toEqual([]);
  });
});
