import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { businessDate } from '../../../shared/time';
import { startHarness, type Harness } from '../../support/core-harness';
import { everythingOnDisk } from '../../support/disk';

// A valid ID number (check digit and birth date), printed by a provider inside its QR URL.
const ID = '110105199003078035';
const URL_WITH_ID = `https://tickets.example.com/t?code=${ID}`;
const today = businessDate(Date.now());
const ORDER = '9100000000000000011';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('an ID number inside a QR URL is an ID number (defects issue, item 6)', () => {
  it('is hashed in the index, never stored, queued or shown in clear, and still finds its order', async () => {
    h = await startHarness({
      orders: [
        {
          order_id: ORDER,
          visit_date: today,
          poi_ids: ['7000000000000000001'],
          multi_store: false,
          state: 'paid',
          projects: [{ project_id: 'gate', name: '入园', certificate_nos: [] }],
        },
      ],
    });
    // Offline: the request must sit in the queue, where it would hold the number unsealed.
    h.sandbox.setOffline(true);
    const session = (await h.core.routes['supervisor.pin.set']({ pin: '246810' })).token;
    const file = JSON.stringify({
      order_id: ORDER,
      multi_store: false,
      visit_date: today,
      voucher: { entrance: { project_id: 'gate', name: '入园', qrcodes: [URL_WITH_ID] } },
    });
    expect(await dispatch(h.core.routes, 'vouchers.import', { session, text: file })).toMatchObject({
      ok: true,
      value: { ok: true, orders: 1 },
    });

    const answer = await h.core.routes['scan.submit']({ raw: URL_WITH_ID, source: 'camera' });
    expect(answer.orderId).toBe(ORDER);
    expect(answer.credentialDisplay).not.toContain(ID);
    const recent = await h.core.routes['scan.recent']({ limit: 5 });
    expect(JSON.stringify(recent)).not.toContain(ID);
    expect(everythingOnDisk(h.dataDir)).not.toContain(ID);
  });

  it('masks a number typed in groups with spaces, on screen and on disk', async () => {
    h = await startHarness();
    const answer = await h.core.routes['scan.submit']({ raw: '110105 19900307 8035', source: 'keyboard' });
    expect(answer.credentialDisplay).not.toMatch(/19900307/);
    expect(everythingOnDisk(h.dataDir)).not.toContain('19900307');
  });
});
