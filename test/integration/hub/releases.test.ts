import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient, pairWithHub, type HubClient } from '../../../electron/core/hub/client';
import { mintUpdateToken } from '../../../electron/core/hub/update-token';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { createPairingCode } from '../../../hub/pairing';
import { listReleases } from '../../../hub/releases';
import type { HubServer } from '../../../hub/server';
import { nsisRelease as release, startTestHub, startTestPostgres, TEST_ADMIN_TOKEN as ADMIN } from '../../support/hub';

let postgres: LocalPostgres;
let db: Db;
let hub: HubServer;
const clients: HubClient[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  hub = await startTestHub(db);
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await hub?.close();
  await db?.end();
  await postgres?.stop();
});

async function admin(method: 'POST' | 'PUT', path: string, body: string | Buffer) {
  const answer = await request(`${hub.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(typeof body === 'string' && body.startsWith('{') ? { 'content-type': 'application/json' } : {}),
    },
    body,
  });
  return {
    status: answer.statusCode,
    json: (await answer.body.json()) as Record<string, unknown> & { message?: { en: string } },
  };
}

async function upload(r: ReturnType<typeof release>, installer = r.installer) {
  expect((await admin('POST', '/admin/api/releases?channel=stable', r.yml)).status).toBe(200);
  return admin('PUT', `/admin/api/releases/stable/${r.version}/installer`, installer);
}

async function window(name: string) {
  const { code } = await createPairingCode(db);
  const paired = await pairWithHub(hub.url, { code, name });
  const credential = { url: hub.url, ...paired };
  const client = createHubClient(credential);
  clients.push(client);
  return { ...paired, client, token: () => mintUpdateToken(credential, Date.now() + 60 * 60_000) };
}

/** What electron-updater's generic provider would fetch, with the window's bearer token. */
async function feed(token: string, file = 'latest.yml') {
  const answer = await request(`${hub.url}/updates/stable/${file}`, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await answer.body.arrayBuffer());
  return { status: answer.statusCode, body, text: body.toString('utf8') };
}
const versionIn = (yml: string) => /^version: (.+)$/m.exec(yml)?.[1];

describe('the fleet’s release feed', () => {
  it('refuses a bad latest.yml and an installer that does not match it, each with a clear message', async () => {
    const noSha = (await admin('POST', '/admin/api/releases', 'version: 1.0.0\nfiles: []\npath: a.exe\nreleaseDate: x\n')).json;
    expect(noSha).toMatchObject({ error: 'bad_latest_yml' });
    expect(noSha.message!.en).toMatch(/sha512/);
    expect(noSha.message!.en).toMatch(/files/);
    expect((await admin('POST', '/admin/api/releases', 'version: [1')).json).toMatchObject({ error: 'bad_latest_yml' });
    const traversal = release('0.9.0').yml.replaceAll('Ticket-Window-Setup-0.9.0.exe', '../evil.exe');
    expect((await admin('POST', '/admin/api/releases', traversal)).json.message!.en).toMatch(/file name/);

    const r = release('0.9.1', 300_000);
    const tampered = Buffer.from(r.installer);
    tampered[1000] = tampered[1000]! ^ 1;
    const refused = await upload(r, tampered);
    expect(refused).toMatchObject({ status: 400, json: { error: 'installer_mismatch' } });
    const kept = await db.query(
      'SELECT complete, (SELECT count(*)::int FROM release_chunks WHERE version = $1) AS chunks FROM releases WHERE version = $1',
      ['0.9.1'],
    );
    expect(kept.rows[0]).toEqual({ complete: false, chunks: 0 });
    const unauthenticated = await request(`${hub.url}/admin/api/releases`, { method: 'POST', body: r.yml });
    expect(unauthenticated.statusCode).toBe(401);
    await unauthenticated.body.dump();
  });

  it('serves each window the release its group may have: the pilot first, the others once promoted; a revoked window gets 401', async () => {
    const [pilot, other] = [await window('1号窗口'), await window('2号窗口')];
    const base = release('1.0.0');
    expect((await upload(base)).status).toBe(200);
    expect((await admin('POST', '/admin/api/releases/stable/1.0.0/groups', JSON.stringify({ groups: ['all'] }))).status).toBe(
      200,
    );
    const next = release('1.1.0');
    expect(await upload(next)).toMatchObject({ status: 200, json: { size: next.installer.length } });
    expect((await admin('POST', '/admin/api/releases/stable/1.1.0/groups', JSON.stringify({ groups: ['pilot'] }))).status).toBe(
      200,
    );
    expect((await admin('POST', `/admin/api/windows/${pilot.windowId}/group`, JSON.stringify({ group: 'pilot' }))).status).toBe(
      200,
    );

    expect(versionIn((await feed(pilot.token())).text)).toBe('1.1.0');
    expect(versionIn((await feed(other.token())).text)).toBe('1.0.0');
    // The pilot's installer, byte for byte; the other window may not have it yet.
    const download = await feed(pilot.token(), next.name);
    expect(download.status).toBe(200);
    expect(createHash('sha512').update(download.body).digest('base64')).toBe(next.sha512);
    expect((await feed(other.token(), next.name)).status).toBe(404);

    // Promoted to every window.
    await admin('POST', '/admin/api/releases/stable/1.1.0/groups', JSON.stringify({ groups: ['all'] }));
    expect(versionIn((await feed(other.token())).text)).toBe('1.1.0');

    // A window that rolled back from 1.1.0 is not offered it again; the hub records the report.
    await pilot.client.reportUpdate({
      event: 'rolled_back',
      version: '1.1.0',
      otherVersion: '1.0.0',
      detail: 'not ready after 3 starts',
    });
    expect(versionIn((await feed(pilot.token())).text)).toBe('1.0.0');
    // A window that could not go back (no installer of 1.0.0 kept there) is not offered it either.
    await other.client.reportUpdate({ event: 'cannot_roll_back', version: '1.1.0', otherVersion: '1.0.0' });
    expect(versionIn((await feed(other.token())).text)).toBe('1.0.0');
    const listed = (await listReleases(db)).find((r) => r.version === '1.1.0');
    expect(listed).toMatchObject({ failedWindows: 2 });

    // Tokens: forged, expired, none, and a revoked window.
    const forged = `${other.token().slice(0, -4)}AAAA`;
    expect((await feed(forged)).status).toBe(401);
    expect((await feed(mintUpdateToken({ windowId: other.windowId, secret: other.secret }, Date.now() - 1))).status).toBe(401);
    expect((await request(`${hub.url}/updates/stable/latest.yml`)).statusCode).toBe(401);
    const token = other.token();
    await request(`${hub.url}/admin/api/windows/${other.windowId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const revoked = await feed(token);
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.text)).toMatchObject({ error: 'revoked' });
  }, 60_000);
});
