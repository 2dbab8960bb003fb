import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdReader, IdReaderStatus } from '../../../electron/core/devices/id-reader/reader';
import { idCheckChar } from '../../../shared/scan/idNumber';
import { binaryArchOf } from '../../../electron/core/devices/id-reader/sdk/binary-arch';
import { describeLoadError } from '../../../electron/core/devices/id-reader/sdk/load-error';
import { createSdkReader } from '../../../electron/core/devices/id-reader/sdk/sdk-reader';
import { buildStandInTermb, type StandInDevice } from '../../support/stand-ins/termb/build';
import { until } from '../../support/core-harness';
import { tempDir } from '../../support/temp';

const ID = '11010519491231002X';
const OTHER_ID = `11010520000101001${idCheckChar('11010520000101001')}`;
const NAME = 'ZHANG-SAN-STAND-IN';

let folder: ReturnType<typeof tempDir>;
let built: ReturnType<typeof buildStandInTermb>;
let device: StandInDevice;
let reader: IdReader | undefined;

beforeAll(() => {
  folder = tempDir('tw-termb-');
  built = buildStandInTermb(folder.path);
  device = built.device;
});
afterAll(() => {
  built.close();
  folder.remove();
});
beforeEach(async () => {
  await reader?.stop();
  reader = undefined;
  device.reset(1003);
});

function start(port = 1003) {
  device.reset(port);
  const numbers: string[] = [];
  const statuses: IdReaderStatus[] = [];
  reader = createSdkReader(
    { libraryPath: built.libraryPath, pollIntervalMs: 100, reconnectMs: 100 },
    { onIdNumber: (n) => numbers.push(n), onStatus: (s) => statuses.push(s) },
  );
  reader.start();
  return { reader, numbers, statuses };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('vendor SDK reader against the stand-in termb library, through koffi', () => {
  it('scans USB 1001–1016 then serial 1–16 in the manual order until one answers', async () => {
    const { reader } = start(3);
    await until(() => reader.status().connected === true, 5000, 'connected on COM3');
    const inits = device.takeCalls().filter((c) => c.startsWith('CVR_InitComm'));
    expect(inits).toEqual([
      ...Array.from({ length: 16 }, (_, i) => `CVR_InitComm ${1001 + i}`),
      'CVR_InitComm 1',
      'CVR_InitComm 2',
      'CVR_InitComm 3',
    ]);
  });

  it('passes a placed card on once while it lies there, and again only after it was lifted', async () => {
    const { reader, numbers } = start();
    await until(() => reader.status().connected === true, 5000, 'connected');
    device.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'first read');
    expect(numbers).toEqual([ID]);
    expect(reader.status()).toMatchObject({ connected: true, cardPresent: true, lastError: null });
    expect(reader.status().lastReadAt).not.toBeNull();
    await pause(600);
    expect(numbers).toEqual([ID]);
    device.liftCard();
    await until(() => reader.status().cardPresent === false, 5000, 'lifted');
    device.placeCard(ID, NAME);
    await until(() => numbers.length === 2, 5000, 'second placement');
    expect(numbers).toEqual([ID, ID]);
  });

  it('calls only the ID number getter: name, birth date, address and photo are never asked for, and the SDK files are removed', async () => {
    const { reader, numbers } = start();
    await until(() => reader.status().connected === true, 5000, 'connected');
    device.takeCalls();
    device.placeCard(OTHER_ID, NAME);
    await until(() => numbers.length === 1, 5000, 'read');
    const calls = device.takeCalls();
    expect(calls).toContain('CVR_Authenticate');
    expect(calls).toContain('CVR_Read_Content 4');
    expect(calls).toContain('GetPeopleIDCode');
    expect(calls.filter((c) => /Name|Birthday|Address|BMP/.test(c))).toEqual([]);
    // The stand-in, like termb.dll, wrote wz.txt and zp.bmp next to itself during the read.
    expect(existsSync(join(folder.path, 'wz.txt'))).toBe(false);
    expect(existsSync(join(folder.path, 'zp.bmp'))).toBe(false);
  });

  it('a misread is reported and the card is read on the next poll', async () => {
    const { reader, numbers, statuses } = start();
    await until(() => reader.status().connected === true, 5000, 'connected');
    device.misread(1);
    device.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'read after misread');
    expect(statuses.some((s) => s.lastError?.problem === 'misread')).toBe(true);
    expect(reader.status().lastError).toBeNull();
  });

  it('an unplugged reader shows as not connected, and is found again when plugged back', async () => {
    const { reader, numbers } = start();
    await until(() => reader.status().connected === true, 5000, 'connected');
    device.unplug();
    await until(() => reader.status().connected === false, 5000, 'disconnected');
    expect(reader.status().lastError?.problem).toBe('not_connected');
    device.replug();
    await until(() => reader.status().connected === true, 5000, 'reconnected');
    device.placeCard(ID, NAME);
    await until(() => numbers.length === 1, 5000, 'read after replug');
  });

  it('no reader on any port: not connected, nothing read', async () => {
    const { reader, numbers } = start(0);
    await until(() => reader.status().lastError?.problem === 'not_connected', 5000, 'not connected');
    expect(reader.status().connected).toBe(false);
    expect(numbers).toEqual([]);
  });
});

describe('the SDK library file itself', () => {
  // A PE header as a 32-bit termb.dll has it: MZ, e_lfanew = 0x40, PE\0\0, machine 0x014c (i386).
  const pe32 = () => {
    const header = Buffer.alloc(0x200);
    header.write('MZ', 0, 'latin1');
    header.writeUInt32LE(0x40, 0x3c);
    header.write('PE\0\0', 0x40, 'latin1');
    header.writeUInt16LE(0x014c, 0x44);
    return header;
  };

  it('reads the processor width from PE and ELF headers', () => {
    expect(binaryArchOf(pe32())).toBe('ia32');
    const pe64 = pe32();
    pe64.writeUInt16LE(0x8664, 0x44);
    expect(binaryArchOf(pe64)).toBe('x64');
    const elf = Buffer.alloc(64);
    elf.write('\x7fELF', 0, 'latin1');
    elf[5] = 1;
    elf.writeUInt16LE(0x3e, 18);
    expect(binaryArchOf(elf)).toBe('x64');
    expect(binaryArchOf(Buffer.from('not a library'))).toBeNull();
  });

  it('a 32-bit DLL in this 64-bit app is refused before loading, with a message that says what to install', () => {
    const path = join(folder.path, 'termb.dll');
    writeFileSync(path, pe32());
    const candidate = createSdkReader({ libraryPath: path }, { onIdNumber: () => {} });
    candidate.start();
    const error = candidate.status().lastError;
    expect(error?.problem).toBe('library_wrong_bitness');
    expect(error?.detail).toContain('32-bit x86');
    expect(error?.detail).toContain('64-bit x64');
  });

  it("koffi's own wrong-width error (a 32-bit ELF stub) maps to the same problem", () => {
    const path = join(folder.path, 'elf32.so');
    const elf = Buffer.alloc(64);
    elf.write('\x7fELF', 0, 'latin1');
    elf[4] = 1; // ELFCLASS32
    elf[5] = 1;
    elf[6] = 1;
    elf.writeUInt16LE(3, 16);
    elf.writeUInt16LE(3, 18);
    writeFileSync(path, elf);
    let thrown: unknown;
    try {
      koffi.load(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(describeLoadError(thrown, '64-bit x64').problem).toBe('library_wrong_bitness');
  });

  it('a missing library, or one that is not termb, says so', () => {
    const missing = createSdkReader({ libraryPath: join(folder.path, 'nope.dll') }, { onIdNumber: () => {} });
    missing.start();
    expect(missing.status().lastError?.problem).toBe('library_missing');
    const source = join(folder.path, 'empty.c');
    writeFileSync(source, 'int unrelated(void) { return 0; }\n');
    const empty = join(folder.path, 'libempty.so');
    execFileSync('gcc', ['-shared', '-fPIC', '-o', empty, source]);
    const notTermb = createSdkReader({ libraryPath: empty }, { onIdNumber: () => {} });
    notTermb.start();
    expect(notTermb.status().lastError?.problem).toBe('library_load_failed');
  });
});
