import type Database from 'better-sqlite3';

export interface Migration {
  /** Equals the index in the list plus one; user_version records the last applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Applies the migrations newer than the file's user_version, each in its own transaction with
 * its version bump, so a crash leaves the file at a whole version and the next start resumes.
 * A file from a newer app version is refused rather than written to by code that cannot read it.
 */
export function migrate(db: Database.Database, list: readonly Migration[]): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new Error(`database is at version ${current}, newer than this app knows (${list.length})`);
  }
  for (const m of list.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return list.length;
}
