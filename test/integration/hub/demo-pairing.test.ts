import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreWithParts } from '../../../electron/core/app';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { openDb, type Db } from '../../../hub/db';
import type { LocalPostgres } from '../../../hub/local-postgres';
import { createPairingCode } from '../../../hub/pairing';
import type { HubServer } from '../../../hub/server';
import { startTestHub, startTestPostgres } from '../../support/hub';
import { tempDir } from '../../support/temp';

let postgres: LocalPostgres;
let db: Db;
let hub: HubServer;

beforeAll(async () => {
  postgres = await startTestPostgres();
  db = await openDb(postgres.url);
  hub = await startTestHub(db);
}, 30_000);

afterAll(async () => {
  await hub?.close();
  await db?.end();
  await postgres?.stop();
});

describe('pairing a window that ran the demo', () => {
  it('pairs (a window without its own credentials is in demo mode until the hub gives it the site token), but its demo scans never reach the site', async () => {
    const dir = tempDir('tw-demo-pairing-');
    const core = await createCoreWithParts({
      connectPlatform,
      dataDir: dir.path,
      env: {},
      secretCodec: plainCodec,
      heartbeatMs: 200,
    });
    try {
      expect(core.status().mode).toBe('demo');
      const demo = await core.routes['scan.submit']({ raw: 'TW1000000001', source: 'keyboard' });
      expect(demo.scanId).toBeGreaterThan(0);

      const status = await core.hub.pair(hub.url, (await createPairingCode(db)).code);
      expect(status).toMatchObject({ paired: true, pendingChanges: 0 });
      await core.hub.syncNow();
      // Before: pairing queued every scan the window held, the demo's too, for the site's history.
      const atHub = await db.query('SELECT scan_id FROM scans');
      expect(atHub.rows).toEqual([]);
    } finally {
      await core.close();
      dir.remove();
    }
  });
});
