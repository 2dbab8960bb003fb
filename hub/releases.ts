import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { latestYmlSchema } from '../shared/updates/latest-yml';
import { ALL_WINDOWS } from '../shared/updates/rollout';
import { compareVersions } from '../shared/updates/version';
import type { UpdateReport } from '../shared/updates/rollout';
import { inTransaction, type Db } from './db';
import { HubRefusal } from './refusal';

const CHUNK_BYTES = 1024 * 1024;
/** Far above an NSIS installer of this app; a bigger upload is the wrong file. */
const MAX_INSTALLER_BYTES = 1024 * 1024 * 1024;

const notFound = () => new HubRefusal(404, 'no_release', '没有可用的更新', 'No update for this window');

/**
 * A release's latest.yml, checked before anything is stored: the version, the installer's entry
 * (url, sha512, size), path and sha512 repeating it, and the date. The release waits for its
 * installer (`storeInstaller`) and is offered to no window until that matched.
 */
export async function addRelease(db: Db, channel: string, text: string): Promise<{ version: string; installer: string }> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new HubRefusal(
      400,
      'bad_latest_yml',
      `latest.yml 不是有效的 YAML：${(error as Error).message}`,
      `latest.yml is not valid YAML: ${(error as Error).message}`,
    );
  }
  const parsed = latestYmlSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'latest.yml'}: ${issue.message}`).join('; ');
    throw new HubRefusal(400, 'bad_latest_yml', `latest.yml 无效：${reasons}`, `latest.yml is invalid: ${reasons}`);
  }
  const yml = parsed.data;
  const installer = yml.files.find((file) => file.url === yml.path)!;
  const stored = await db.query(
    `INSERT INTO releases (channel, version, latest_yml, installer, sha512, size, release_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (channel, version) DO UPDATE
       SET latest_yml = EXCLUDED.latest_yml, installer = EXCLUDED.installer, sha512 = EXCLUDED.sha512,
           size = EXCLUDED.size, release_date = EXCLUDED.release_date, uploaded_at = now()
       WHERE NOT releases.complete`,
    [channel, yml.version, text, installer.url, installer.sha512, installer.size, yml.releaseDate],
  );
  if (stored.rowCount !== 1) {
    throw new HubRefusal(409, 'release_exists', `版本 ${yml.version} 已上传`, `Version ${yml.version} was uploaded already`);
  }
  return { version: yml.version, installer: installer.url };
}

/**
 * The installer, streamed into PostgreSQL chunk by chunk inside one transaction while its SHA-512
 * is computed: if digest or size differ from latest.yml nothing is kept, and the release stays
 * unoffered.
 */
export async function storeInstaller(db: Db, channel: string, version: string, body: Readable): Promise<{ size: number }> {
  const client = await db.connect();
  try {
    return await inTransaction(client, async () => {
      const release = await client.query<{ sha512: string; size: string; complete: boolean }>(
        'SELECT sha512, size, complete FROM releases WHERE channel = $1 AND version = $2 FOR UPDATE',
        [channel, version],
      );
      const expected = release.rows[0];
      if (!expected)
        throw new HubRefusal(404, 'no_release', `先上传 latest.yml（${version}）`, `Upload latest.yml (${version}) first`);
      if (expected.complete)
        throw new HubRefusal(409, 'release_exists', `版本 ${version} 已上传`, `Version ${version} was uploaded already`);
      await client.query('DELETE FROM release_chunks WHERE channel = $1 AND version = $2', [channel, version]);
      const hash = createHash('sha512');
      let size = 0;
      let n = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        await client.query('INSERT INTO release_chunks (channel, version, n, data) VALUES ($1, $2, $3, $4)', [
          channel,
          version,
          n++,
          Buffer.concat(pending),
        ]);
        pending = [];
        pendingBytes = 0;
      };
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_INSTALLER_BYTES) throw new HubRefusal(413, 'too_large', '安装包过大', 'Installer too large');
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
      const sha512 = hash.digest('base64');
      if (sha512 !== expected.sha512 || size !== Number(expected.size)) {
        throw new HubRefusal(
          400,
          'installer_mismatch',
          `安装包与 latest.yml 不符（sha512 或大小不同：收到 ${size} 字节），未保存`,
          `The installer does not match latest.yml (sha512 or size differ: got ${size} bytes); nothing was kept`,
        );
      }
      await client.query('UPDATE releases SET complete = true WHERE channel = $1 AND version = $2', [channel, version]);
      return { size };
    });
  } finally {
    client.release();
  }
}

/** Which groups may have the release: ["pilot"] first, then ["all"] to promote it to every window. */
export async function setReleaseGroups(db: Db, channel: string, version: string, groups: string[]): Promise<boolean> {
  const set = await db.query('UPDATE releases SET groups = $3 WHERE channel = $1 AND version = $2', [
    channel,
    version,
    [...new Set(groups)].sort(),
  ]);
  return set.rowCount === 1;
}

export async function setWindowGroup(db: Db, windowId: string, group: string | null): Promise<boolean> {
  const set = await db.query('UPDATE windows SET rollout_group = $2 WHERE id = $1', [windowId, group]);
  return set.rowCount === 1;
}

type Offer = { version: string; latest_yml: string; installer: string; size: string };

/** Complete releases of the channel this window's group may have, but none it rolled back from. */
async function offers(db: Db, windowId: string, channel: string): Promise<Offer[]> {
  const found = await db.query<Offer>(
    `SELECT r.version, r.latest_yml, r.installer, r.size FROM releases r, windows w
      WHERE w.id = $1 AND r.channel = $2 AND r.complete
        AND ($3 = ANY (r.groups) OR w.rollout_group = ANY (r.groups))
        AND NOT EXISTS (SELECT 1 FROM update_reports u
                         WHERE u.window_id = w.id AND u.event = 'rolled_back' AND u.version = r.version)`,
    [windowId, channel, ALL_WINDOWS],
  );
  return found.rows;
}

/** The newest release this window may have: its latest.yml, as electron-updater reads it. */
export async function latestFor(db: Db, windowId: string, channel: string): Promise<string> {
  const newest = (await offers(db, windowId, channel)).sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!newest) throw notFound();
  return newest.latest_yml;
}

/** An installer this window may have (the newest, or an older one to go back to), chunk by chunk. */
export async function installerFor(
  db: Db,
  windowId: string,
  channel: string,
  file: string,
): Promise<{ size: number; body: AsyncIterable<Buffer> }> {
  const release = (await offers(db, windowId, channel)).find((offer) => offer.installer === file);
  if (!release) throw notFound();
  async function* chunks(): AsyncIterable<Buffer> {
    for (let n = 0; ; n++) {
      const found = await db.query<{ data: Buffer }>(
        'SELECT data FROM release_chunks WHERE channel = $1 AND version = $2 AND n = $3',
        [channel, release!.version, n],
      );
      const chunk = found.rows[0];
      if (!chunk) return;
      yield chunk.data;
    }
  }
  return { size: Number(release.size), body: chunks() };
}

export async function recordUpdateReport(db: Db, windowId: string, report: UpdateReport): Promise<void> {
  await db.query('INSERT INTO update_reports (window_id, event, version, other_version, detail) VALUES ($1, $2, $3, $4, $5)', [
    windowId,
    report.event,
    report.version,
    report.otherVersion ?? null,
    report.detail ?? null,
  ]);
}

export interface ReleaseRow {
  channel: string;
  version: string;
  groups: string[];
  complete: boolean;
  rolledBack: number;
}

/** For the admin page: every release, newest first, and how many windows went back from it. */
export async function listReleases(db: Db): Promise<ReleaseRow[]> {
  const found = await db.query<{ channel: string; version: string; groups: string[]; complete: boolean; rolled_back: number }>(
    `SELECT r.channel, r.version, r.groups, r.complete,
            (SELECT count(DISTINCT u.window_id)::int FROM update_reports u WHERE u.event = 'rolled_back' AND u.version = r.version)
              AS rolled_back
       FROM releases r`,
  );
  return found.rows
    .map((r) => ({ channel: r.channel, version: r.version, groups: r.groups, complete: r.complete, rolledBack: r.rolled_back }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || compareVersions(b.version, a.version));
}
