import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type Routes } from '../../../electron/core/dispatch';
import { createLogger, log, logDirOf, loggerFor } from '../../../electron/core/log';
import { redact } from '../../../electron/core/log/redact';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-log-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const everything = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

const CLIENT_SECRET = 'sandbox_client_secret_8f3a9c';
const ACCESS_TOKEN = 'clt.5e0c3b1f9a7d4e2b8c6a1f0e9d8c7b6a';
const SESSION_SECRET = 'Zq3xV8yKp1Lm0Nw4Rt6Us9Ab2Cd5Ef7Gh';
const SUPERVISOR_SESSION = 'a1b2c3d4e5f6a7b8c9d0e1f2';
const ID_NUMBER = '11010519491231002X';
const ORDER_ID = '8000004478714899970';

describe('the log file never holds a secret or a full ID number', () => {
  it('redacts them however they are passed in', () => {
    const dir = tempDir();
    const logger = createLogger({ echo: false });
    logger.toFolder(dir);
    logger.info(`token request body: {"client_key":"ck","client_secret":"${CLIENT_SECRET}","grant_type":"client_credential"}`);
    logger.info('token form', `client_key=ck&client_secret=${CLIENT_SECRET}&grant_type=client_credential`);
    logger.warn('verify failed', { headers: { 'access-token': ACCESS_TOKEN }, clientSecret: CLIENT_SECRET });
    logger.error('douyin said no', new Error(`token ${ACCESS_TOKEN} expired for order ${ORDER_ID}`));
    logger.info(`open http://127.0.0.1:5178/?secret=${SESSION_SECRET}`);
    logger.info(`request cookie: tw_session=${SESSION_SECRET}; other=1`);
    logger.info('authorization', `Authorization: Bearer ${ACCESS_TOKEN}`);
    logger.info('supervisor call', { channel: 'supervisor.queue', input: { session: SUPERVISOR_SESSION } });
    logger.info(`visitor ${ID_NUMBER} scanned`, { idCards: [ID_NUMBER.toLowerCase()], nested: { deep: { id: ID_NUMBER } } });

    const written = everything(dir);
    for (const secret of [
      CLIENT_SECRET,
      ACCESS_TOKEN,
      SESSION_SECRET,
      SUPERVISOR_SESSION,
      ID_NUMBER,
      ID_NUMBER.toLowerCase(),
      '19491231',
    ]) {
      expect(written, secret).not.toContain(secret);
    }
    expect(written).not.toMatch(/clt\.[0-9a-f]/);
    // Still useful: the mask staff see elsewhere, and the order id.
    expect(written).toContain('110105********002X');
    expect(written).toContain(ORDER_ID);
    expect(written.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))).toHaveLength(9);
  });

  it('redacts what core routes throw, through dispatch', async () => {
    const dir = tempDir();
    log.toFolder(dir);
    const routes = {
      'app.status': () => {
        throw new Error(`upstream answered 401 for client_secret=${CLIENT_SECRET} token ${ACCESS_TOKEN}`);
      },
    } as unknown as Routes;
    await expect(dispatch(routes, 'app.status', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    const written = everything(dir);
    expect(written).toContain('[core] route failed');
    expect(written).not.toContain(CLIENT_SECRET);
    expect(written).not.toContain(ACCESS_TOKEN);
  });

  it('keeps ordinary text as it is', () => {
    const line = `scan 8000004478714899970 verified in 120 ms, queue 3, logid 202611291200000123456789ABCDEF`;
    expect(redact(line)).toBe(line);
  });
});

describe('rotation', () => {
  it('keeps at most maxFiles files of about maxBytes, newest in ticket-window.log', () => {
    const dir = tempDir();
    const logger = createLogger({ echo: false, limits: { maxBytes: 1000, maxFiles: 5 } });
    logger.toFolder(dir);
    for (let i = 0; i < 300; i++) logger.info(`line ${String(i).padStart(4, '0')} ${'x'.repeat(50)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'ticket-window.1.log',
      'ticket-window.2.log',
      'ticket-window.3.log',
      'ticket-window.4.log',
      'ticket-window.log',
    ]);
    for (const file of files) expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(1000);
    expect(readFileSync(join(dir, 'ticket-window.log'), 'utf8')).toContain('line 0299');
    expect(everything(dir)).not.toContain('line 0000');
  });

  it('carries on across restarts, appending to the current file', () => {
    const dir = tempDir();
    const first = createLogger({ echo: false });
    first.toFolder(dir);
    first.info('before restart');
    const second = createLogger({ echo: false });
    second.toFolder(dir);
    second.info('after restart');
    expect(readFileSync(join(dir, 'ticket-window.log'), 'utf8')).toMatch(/before restart[\s\S]*after restart/);
  });

  it('never throws when the folder cannot be written', () => {
    const dir = tempDir();
    const logger = createLogger({ echo: false });
    logger.toFolder(join(dir, 'logs'));
    rmSync(dir, { recursive: true, force: true });
    expect(() => logger.error('the disk went away')).not.toThrow();
  });
});

describe('where the logs live', () => {
  it('is the logs folder of the data folder, made with the first line', () => {
    expect(logDirOf('/data')).toBe(join('/data', 'logs'));
    const dir = tempDir();
    const logger = createLogger({ echo: false });
    logger.toFolder(logDirOf(dir));
    expect(existsSync(join(dir, 'logs'))).toBe(false);
    logger.info('first line');
    expect(existsSync(join(dir, 'logs', 'ticket-window.log'))).toBe(true);
  });
});

describe('a module logger', () => {
  it('names its module on every line and is redacted like the process log', () => {
    const dir = tempDir();
    const logger = createLogger({ echo: false });
    logger.toFolder(dir);
    const queue = loggerFor('outbox', logger);
    queue.warn('paused: %s', `client_secret=${CLIENT_SECRET}`);
    queue.error('attempt could not be recorded', new Error(`id ${ID_NUMBER}`));
    const text = everything(dir);
    expect(text.match(/\[outbox\]/g)).toHaveLength(2);
    expect(text).toMatch(/WARN {2}\[outbox\] paused/);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(ID_NUMBER);
  });
});
