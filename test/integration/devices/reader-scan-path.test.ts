import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAnswer } from '../../../shared/domain/scan';
import type { IdReaderSetting, IdReaderStatus } from '../../../shared/domain/devices';
import { businessDate } from '../../../shared/time';
import { outboxStates, startHarness, until, type Harness } from '../../support/core-harness';
import { everythingOnDisk } from '../../support/disk';
import { startStandInService, type StandInService } from '../../support/stand-ins/reader-service';
import { buildStandInTermb } from '../../support/stand-ins/termb/build';
import { tempDir } from '../../support/temp';

// A card read by a device goes the way a typed ID number goes (keyed hash in the index, sealed
// while queued, masked once sent) and nothing the card held is left in the data folder in clear.
const ID = '11010519491231002X';
const NAME = 'ZHANG-SAN-STAND-IN';
const ORDER = '9100000000000000021';
const today = businessDate(Date.now());

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let service: StandInService;
let termbFolder: ReturnType<typeof tempDir>;
let termb: ReturnType<typeof buildStandInTermb>;
beforeAll(async () => {
  service = await startStandInService();
  termbFolder = tempDir('tw-termb-path-');
  termb = buildStandInTermb(termbFolder.path);
});
afterAll(async () => {
  await service.close();
  termb.close();
  termbFolder.remove();
});

interface Adapter {
  setting: () => IdReaderSetting;
  place: () => void;
  lift: () => void;
}

const adapters: Array<[string, Adapter]> = [
  [
    'vendor SDK (the stand-in termb library through koffi)',
    {
      setting: () => ({ kind: 'vendor_sdk', libraryPath: termb.libraryPath, pollIntervalMs: 100 }),
      place: () => termb.device.placeCard(ID, NAME),
      lift: () => termb.device.liftCard(),
    },
  ],
  [
    'local service (the stand-in HTTP service)',
    {
      setting: () => ({ kind: 'local_service', url: service.httpUrl, idField: 'resultContent.certNumber', pollIntervalMs: 100 }),
      place: () => service.placeCard(ID, NAME),
      lift: () => service.liftCard(),
    },
  ],
  [
    'local service (the stand-in WebSocket service)',
    {
      setting: () => ({ kind: 'local_service', url: service.wsUrl, idField: 'resultContent.certNumber', pollIntervalMs: 100 }),
      place: () => service.placeCard(ID, NAME),
      lift: () => service.liftCard(),
    },
  ],
];

describe.each(adapters)('an ID card read by the %s', (_name, adapter) => {
  it('is verified through the normal ID path, and its number and name are nowhere on disk in clear', async () => {
    termb.device.reset(1003);
    adapter.lift();
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
    const session = (await h.core.routes['supervisor.pin.set']({ pin: '246810' })).token;
    const voucher = {
      order_id: ORDER,
      multi_store: false,
      visit_date: today,
      voucher: { entrance: { project_id: 'gate', name: '入园', id_cards: [ID] } },
    };
    expect(await h.core.routes['vouchers.import']({ session, text: JSON.stringify(voucher) })).toMatchObject({ ok: true });

    const answers: ScanAnswer[] = [];
    const statuses: IdReaderStatus[] = [];
    h.core.events.subscribe((event, payload) => {
      if (event === 'device.scanned') answers.push(payload as ScanAnswer);
      if (event === 'idReader.status') statuses.push(payload as IdReaderStatus);
    });
    // Offline first: the request waits in the queue, where it must hold the number sealed.
    h.sandbox.setOffline(true);
    await h.core.routes['devices.idReader.save']({ session, idReader: adapter.setting() });
    await until(() => statuses.at(-1)?.connected === true, 10_000, 'reader connected');
    adapter.place();
    await until(() => answers.length === 1, 10_000, 'the read card answered');
    expect(answers[0]).toMatchObject({ verdict: 'offline', orderId: ORDER, credentialDisplay: '110105********002X' });
    expect(statuses.at(-1)).toMatchObject({ connected: true, cardPresent: true, lastError: null });
    expect(statuses.at(-1)?.lastReadAt).toEqual(expect.any(Number));
    const queued = h.core.db.prepare(`SELECT request FROM outbox`).get() as { request: string };
    expect(queued.request).toContain('sealed:v1:');
    const atRest = everythingOnDisk(h.dataDir);
    expect(atRest).not.toContain(ID);
    expect(atRest).not.toContain(ID.toLowerCase());
    expect(atRest).not.toContain(NAME);

    h.sandbox.setOffline(false);
    h.core.worker.wake({ networkBack: true });
    await until(() => outboxStates(h!.core).verified === 1, 15_000, 'the card scan synced');
    const recent = await h.core.routes['scan.recent']({ limit: 5 });
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ source: 'scanner', credentialDisplay: '110105********002X' });
    h.core.db.pragma('wal_checkpoint(TRUNCATE)');
    const afterSync = everythingOnDisk(h.dataDir);
    expect(afterSync).not.toContain(ID);
    expect(afterSync).not.toContain(NAME);
    // The card still lies there: it was passed on once.
    expect(answers).toHaveLength(1);
    adapter.lift();
  });
});
