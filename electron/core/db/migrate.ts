import type Database from 'better-sqlite3';

export interface Migration {
  /** Equals the index in the list plus one; user_version records the last applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * The file's schema is newer than this app's migrations: it was migrated by a newer version (an
 * update that was then rolled back, or a data folder copied from another window). Nothing here
 * may write to it, since this code does not know what the newer migrations changed; the message
 * is for the person at the window, in both languages, as main's dialog shows it.
 */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `数据库由较新版本的票务核销台写入（结构版本 ${found}，本程序只认识到 ${known}），为保护数据本程序不会打开它。请重新安装较新的版本，或联系管理员。\n` +
        `The database is at schema version ${found}, newer than this app knows (${known}): a newer Ticket Window wrote it. ` +
        'To keep its data safe this app will not open it; install the newer version again, or call a supervisor.',
    );
  }
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
    throw new NewerSchemaError(current, list.length);
  }
  for (const m of list.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return list.length;
}
