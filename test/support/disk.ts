import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every byte the app has put in a folder: the database, its WAL and shared memory, the logs. */
export function everythingOnDisk(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}
