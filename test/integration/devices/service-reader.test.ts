import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalServiceConfig } from '../../../shared/domain/devices';
import { createServiceReader } from '../../../electron/core/devices/id-reader/local-service/service-reader';
import type { IdReader, IdReaderStatus } from '../../../electron/core/devices/id-reader/reader';
import { idCheckChar } from '../../../shared/scan/idNumber';
import { startStandInService, type StandInService } from '../../support/stand-ins/reader-service';
import { until } from '../../support/core-harness';

const ID = '11010519491231002X';
const OTHER_ID = `11010520000101001${idCheckChar('11010520000101001')}`;
const NAME = '张三';
const FIELD = 'resultContent.certNumber';

let service: StandInService;
let reader: IdReader | undefined;

beforeAll(async () => {
  service = await startStandInService();
});
afterAll(() => service.close());
afterEach(async () => {
  await reader?.stop();
  reader = undefined;
  service.liftCard();
  service.misread(0);
  service.answerRaw(null);
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(url: string) {
  const numbers: string[] = [];
  const statuses: IdReaderStatus[] = [];
  reader = createServiceReader(
    { url, idField: FIELD, pollIntervalMs: 100 },
    { onIdNumber: (n) => numbers.push(n), onStatus: (s) => statuses.push(s) },
  );
  reader.start();
  return { reader, numbers, statuses };
}

describe.each([
  ['HTTP polling', () => service.httpUrl],
  ['WebSocket push', () => service.wsUrl],
])('local-service reader over %s against the stand-in service', (_name, url) => {
  it('a card left on the reader is read once, and again only after it was lifted', async () => {
    const { reader, numbers } = start(url());
    await until(() => reader.status().connected === true && reader.status().cardPresent === false, 5000, 'connected');
    service.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'first read');
    const requestsAtRead = service.requests();
    await until(() => service.requests() >= requestsAtRead + 4, 5000, 'more answers with the card still there');
    expect(numbers).toEqual([ID]);
    expect(reader.status()).toMatchObject({ connected: true, cardPresent: true, lastError: null });
    service.liftCard();
    await until(() => reader.status().cardPresent === false, 5000, 'lifted');
    service.placeCard(OTHER_ID, NAME);
    await until(() => numbers.length === 2, 5000, 'second card');
    expect(numbers).toEqual([ID, OTHER_ID]);
  });

  it('a misread is reported as such and the card is read on the next answer', async () => {
    const { reader, numbers, statuses } = start(url());
    await until(() => reader.status().connected === true, 5000, 'connected');
    service.misread(2);
    service.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'read after misread');
    expect(statuses.some((s) => s.lastError?.problem === 'misread' && s.cardPresent === true)).toBe(true);
    expect(numbers).toEqual([ID]);
    expect(reader.status().lastError).toBeNull();
  });

  it('a service that stops shows as unreachable; the card lying there is not read twice when it is back', async () => {
    const { reader, numbers } = start(url());
    service.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'read');
    await service.unplug();
    await until(() => reader.status().connected === false, 5000, 'unreachable');
    expect(reader.status().lastError?.problem).toBe('service_unreachable');
    await service.replug();
    await until(() => reader.status().connected === true && reader.status().cardPresent === true, 5000, 'back');
    await pause(300);
    expect(numbers).toEqual([ID]);
    service.liftCard();
    await until(() => reader.status().cardPresent === false, 5000, 'lifted');
    service.placeCard(ID, NAME);
    await until(() => numbers.length === 2, 5000, 'placed again');
  });

  it('an answer that is not JSON is a bad answer, not a card', async () => {
    const { reader, numbers } = start(url());
    service.answerRaw('<html>500</html>');
    await until(() => reader.status().lastError?.problem === 'service_bad_answer', 5000, 'bad answer');
    service.answerRaw(null);
    await until(() => reader.status().lastError === null, 5000, 'recovered');
    expect(numbers).toEqual([]);
  });
});

describe('the local-service settings', () => {
  it('accept only a service on this machine', () => {
    for (const url of ['http://127.0.0.1:8989/api/readcard', 'ws://localhost:30004/ws', 'http://[::1]:19196/']) {
      expect(LocalServiceConfig.safeParse({ url, idField: FIELD }).success, url).toBe(true);
    }
    for (const url of [
      'http://192.168.1.20:8989/',
      'https://reader.example.com/',
      'ws://10.0.0.2/ws',
      'file:///c:/x',
      'not a url',
    ]) {
      const result = LocalServiceConfig.safeParse({ url, idField: FIELD });
      expect(result.success, url).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('loopback_required');
    }
    expect(LocalServiceConfig.safeParse({ url: 'http://127.0.0.1:1/', idField: 'a..b' }).success).toBe(false);
  });
});
