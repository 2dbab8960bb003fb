import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';
const PG_USER = 'hub';

export interface LocalPostgres {
  /** Over loopback TCP, for clients on this machine that want an address. */
  url: string;
  /** Over the cluster's Unix socket in its data folder: no TCP stack per round trip. */
  socketUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Debian's PostgreSQL in a folder of our own, so a site needs no database set-up. initdb refuses
 * to run as root, so as root the cluster belongs to the `postgres` system user. `settings` are
 * extra server settings (the bench loads pg_stat_statements).
 */
export async function startLocalPostgres(
  dataDir: string,
  port: number,
  settings: Record<string, string> = {},
): Promise<LocalPostgres> {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL is not installed (apt-get install postgresql) and DATABASE_URL is not set');
  }
  const bin = `${PG_ROOT}/${versions[0]}/bin`;
  const asRoot = userInfo().uid === 0;
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args]) : run(`${bin}/${tool}`, args);

  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dataDir, Number(stdout.trim()), Number(gid.trim()));
    }
    await pgRun('initdb', ['-D', dataDir, '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--locale=C']);
  }
  await pgRun('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    `${dataDir}/postgres.log`,
    '-o',
    [`-k ${dataDir} -p ${port} -c listen_addresses=127.0.0.1`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(
      ' ',
    ),
    '-w',
    'start',
  ]);
  return {
    url: `postgres://${PG_USER}@127.0.0.1:${port}/postgres`,
    // `host` in the query names the socket's folder (pg and libpq); the URL stays valid for the hub's config check.
    socketUrl: `postgres://${PG_USER}@localhost/postgres?host=${encodeURIComponent(dataDir)}&port=${port}`,
    dataDir,
    stop: async () => {
      await pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
  };
}
