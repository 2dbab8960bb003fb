import pg from 'pg';
import { hubMigrations } from './migrations';

export type Db = pg.Pool;

/** Any fixed number: serialises migrations when several hub processes start together. */
const MIGRATION_LOCK = 0x4855_4201;

export async function openDb(connectionString: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  await migrate(pool);
  return pool;
}

/**
 * The history batches' own pool, on a database `openDb` has migrated. A batch holds its
 * connection for several statements and waits for its window's row: on the claims' pool, a burst
 * of batches would leave the scan path's claims queueing for a connection.
 */
export function openHistoryDb(connectionString: string): Db {
  return new pg.Pool({ connectionString, max: 4 });
}

async function migrate(pool: Db): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS hub_migrations (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ id: number }>('SELECT id FROM hub_migrations')).rows.map((row) => row.id));
    for (const migration of hubMigrations) {
      if (done.has(migration.id)) continue;
      await inTransaction(client, async () => {
        await client.query(migration.sql);
        await client.query('INSERT INTO hub_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
      });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

export async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
