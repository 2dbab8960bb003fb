import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { businessDate } from '../../../shared/time';
import { outboxStates, startHarness, until, type Harness } from '../../support/core-harness';

const ID = '11010519491231002X';
const today = businessDate(Date.now());
const tomorrow = businessDate(Date.now() + 86_400_000);

const orders = [
  {
    order_id: '9100000000000000001',
    visit_date: today,
    poi_ids: ['7000000000000000001'],
    multi_store: false,
    state: 'paid' as const,
    projects: [
      { project_id: 'gate', name: '入园', certificate_nos: [] },
      { project_id: 'cable', name: '索道', certificate_nos: [] },
    ],
  },
  {
    order_id: '9100000000000000002',
    visit_date: tomorrow,
    poi_ids: ['7000000000000000001'],
    multi_store: false,
    state: 'paid' as const,
    projects: [{ project_id: 'gate', name: '入园', certificate_nos: [] }],
  },
  {
    order_id: '9100000000000000003',
    visit_date: today,
    poi_ids: ['7000000000000000001', '7000000000000000002'],
    multi_store: true,
    state: 'paid' as const,
    projects: [{ project_id: 'gate', name: '通票', certificate_nos: [] }],
  },
];

const file = [
  {
    order_id: orders[0]!.order_id,
    multi_store: false,
    visit_date: today,
    voucher: {
      entrance: { project_id: 'gate', name: '入园', id_cards: [ID], qrcords: ['QR-GATE-0001'] },
      projects: [{ project_id: 'cable', name: '索道', certificate_nos: ['CABLE-0001'] }],
    },
  },
  {
    order_id: orders[1]!.order_id,
    multi_store: false,
    visit_date: tomorrow,
    voucher: { entrance: { project_id: 'gate', qrcodes: ['QR-TOMORROW-1'] } },
  },
  {
    order_id: orders[2]!.order_id,
    poi_id: '7000000000000000002',
    multi_store: true,
    visit_date: today,
    voucher: { entrance: { project_id: 'gate', qrcodes: ['QR-MULTI-0001'] } },
  },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const scan = (raw: string) => h!.core.routes['scan.submit']({ raw, source: 'scanner' });

/** Voucher loading is a supervisor action: set the first PIN, which also unlocks. */
async function supervisorSession(harness: Harness): Promise<string> {
  return (await harness.core.routes['supervisor.pin.set']({ pin: '246810' })).token;
}

describe('voucher index', () => {
  it('imports a provider file once, maps codes to orders and projects, and applies the rules before any request', async () => {
    h = await startHarness({ orders });
    const session = await supervisorSession(h);
    expect(await dispatch(h.core.routes, 'vouchers.import', { session, text: file })).toEqual({
      ok: true,
      value: { ok: true, orders: 3, changed: 3 },
    });
    expect(await dispatch(h.core.routes, 'vouchers.import', { session, text: file })).toEqual({
      ok: true,
      value: { ok: true, orders: 3, changed: 0 },
    });
    const audit = h.core.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'vouchers_imported'`).get();
    expect(audit).toEqual({ n: 2 });

    // A project code: a partial verify of that project only.
    expect(await scan('CABLE-0001')).toMatchObject({ verdict: 'verified', projectName: '索道' });
    expect(h.sandbox.orderState(orders[0]!.order_id)?.verifiedProjectIds).toEqual(['cable']);
    // The entrance by its QR (imported under the misspelt `qrcords`).
    expect(await scan('QR-GATE-0001')).toMatchObject({ verdict: 'verified', projectName: '入园' });
    // Before the visit date: refused at once, no request.
    const before = h.sandbox.counts().verifyRequests;
    expect(await scan('QR-TOMORROW-1')).toMatchObject({ verdict: 'refused', reason: 'too_early' });
    expect(h.sandbox.counts().verifyRequests).toBe(before);
    // Multi-store: the store goes with the request, and the sandbox insists on it.
    expect(await scan('QR-MULTI-0001')).toMatchObject({ verdict: 'verified' });
    expect(h.sandbox.ledger().at(-1)?.poi_id).toBe('7000000000000000002');
    // Unknown code: refused, no request.
    expect(await scan('NOT-A-TICKET')).toMatchObject({ verdict: 'refused', reason: 'not_found' });
    expect(h.sandbox.counts().verifyRequests).toBe(before + 1);
  });

  it('refuses a file with bad lines whole, naming the lines, and writes nothing', async () => {
    h = await startHarness({ orders });
    const session = await supervisorSession(h);
    const bad = `${file}\n{"order_id": 12}\nnot json`;
    const report = await h.core.routes['vouchers.import']({ session, text: bad });
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.errors.map((e) => e.line)).toEqual(expect.arrayContaining([4, 5]));
    expect(await dispatch(h.core.routes, 'vouchers.summary', {})).toEqual({ ok: true, value: { orders: 0 } });
  });

  it('refuses to load vouchers outside a supervisor session', async () => {
    h = await startHarness({ orders });
    expect(await dispatch(h.core.routes, 'vouchers.import', { text: file })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    const forged = await dispatch(h.core.routes, 'vouchers.import', { session: 'x'.repeat(32), text: file });
    expect(forged).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await dispatch(h.core.routes, 'vouchers.summary', {})).toEqual({ ok: true, value: { orders: 0 } });
  });

  it('pulls the same file from the provider feed', async () => {
    h = await startHarness({ orders });
    const session = await supervisorSession(h);
    const feed = createServer((req, res) => {
      if (req.url === '/vouchers.jsonl') res.end(file);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;
    try {
      expect(await dispatch(h.core.routes, 'vouchers.pull', { session })).toMatchObject({
        ok: false,
        error: { detail: 'error.feed_not_configured' },
      });
      h.core.settings.update({ voucherFeedUrl: `${base}/missing` });
      expect(await dispatch(h.core.routes, 'vouchers.pull', { session })).toMatchObject({
        ok: false,
        error: { detail: 'error.feed_http_error' },
      });
      h.core.settings.update({ voucherFeedUrl: `${base}/vouchers.jsonl` });
      expect(await dispatch(h.core.routes, 'vouchers.pull', { session })).toEqual({
        ok: true,
        value: { ok: true, orders: 3, changed: 3 },
      });
      expect(() => h!.core.settings.update({ voucherFeedUrl: 'http://example.com/v.jsonl' })).toThrow(/https_required/);
    } finally {
      feed.close();
    }
  });
});

describe('personal data at rest', () => {
  it('never writes an ID number in clear: hashed in the index, sealed while queued, masked once done', async () => {
    h = await startHarness({ orders });
    await dispatch(h.core.routes, 'vouchers.import', { session: await supervisorSession(h), text: file });
    h.sandbox.setOffline(true);
    const answer = await scan(ID.toLowerCase());
    expect(answer).toMatchObject({ verdict: 'offline', credentialDisplay: '110105********002X' });
    const queued = h.core.db.prepare(`SELECT request FROM outbox`).get() as { request: string };
    expect(queued.request).toContain('sealed:v1:');

    h.sandbox.setOffline(false);
    h.core.worker.wake({ networkBack: true });
    await until(() => outboxStates(h!.core).verified === 1, 15_000, 'ID scan synced');
    const done = h.core.db.prepare(`SELECT request FROM outbox`).get() as { request: string };
    expect(done.request).not.toContain('sealed:v1:');
    expect(done.request).toContain('110105********002X');

    h.core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const name of readdirSync(h.dataDir)) {
      const bytes = readFileSync(join(h.dataDir, name));
      expect(bytes.includes(Buffer.from(ID)), `${name} holds the ID number`).toBe(false);
      expect(bytes.includes(Buffer.from(ID.toLowerCase())), `${name} holds the ID number`).toBe(false);
    }
  });
});
