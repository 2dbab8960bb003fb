import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fstatSync, openSync, rmSync, writeSync } from 'node:fs';
import type { Db } from './connection';
import { isCorruptionError } from './damage';
import { migrate } from './migrate';
import { migrations } from './migrations';

/** Per table: rows carried into the new file, and whether some could not be read or were not valid. */
export type Carried = Record<string, { kept: number; lost: boolean }>;

const BATCH = 500;
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Opens the damaged file for reading whatever it can give. A file whose first page is gone
 * (garbage over the header) cannot be opened at all; its first page is the schema, which the
 * app's migrations write the same way into every new file, so a copy of the file gets a new
 * first page from an empty database built by the same migrations and is read through that.
 * For a file created by an older version and migrated since, the tables' pages may sit
 * elsewhere: what is then read is checked row by row as it is written into the new file.
 */
export function openForSalvage(file: string, scratch: string): { source: Db; patched: boolean } {
  try {
    const source = new Database(file, { fileMustExist: true });
    source.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
    return { source, patched: false };
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
  }
  copyFileSync(file, scratch);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${scratch}-wal`);
  const template = emptyFirstPage();
  const pageSize = template.readUInt16BE(16);
  const fd = openSync(scratch, 'r+');
  try {
    template.writeUInt32BE(Math.floor(fstatSync(fd).size / pageSize), 28);
    template.writeUInt32BE(template.readUInt32BE(24), 92);
    // With a -wal next to it, say WAL so its frames (newer pages, maybe page 1 itself) are read.
    if (existsSync(`${scratch}-wal`)) template.fill(2, 18, 20);
    writeSync(fd, template, 0, pageSize, 0);
  } finally {
    closeSync(fd);
  }
  return { source: new Database(scratch, { fileMustExist: true }), patched: true };
}

function emptyFirstPage(): Buffer {
  const db = new Database(':memory:');
  try {
    migrate(db, migrations);
    const image = db.serialize();
    return Buffer.from(image.subarray(0, image.readUInt16BE(16)));
  } finally {
    db.close();
  }
}

/**
 * Copies every table the new file has from the damaged one, row by row where a page cannot be
 * read: a damaged leaf loses only its own rows. Rows go through the new file's STRICT types and
 * CHECKs, so garbage read from a broken page is refused rather than carried.
 */
export function salvageInto(source: Db, target: Db): Carried {
  const carried: Carried = {};
  target.pragma('foreign_keys = OFF');
  const tables = target
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rootpage`)
    .all() as { name: string; sql: string }[];
  for (const { name, sql } of tables) {
    const columns = sharedColumns(source, target, name);
    if (columns === null) {
      carried[name] = { kept: 0, lost: true };
      continue;
    }
    if (columns.length === 0) continue;
    const insert = target.prepare(
      `INSERT INTO ${q(name)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const tally = { kept: 0, lost: false };
    const put = target.transaction((rows: unknown[][]) => {
      for (const row of rows) {
        try {
          insert.run(row);
          tally.kept += 1;
        } catch {
          tally.lost = true;
        }
      }
    });
    const read = /without\s+rowid/i.test(sql) ? readWhole : readByRowid;
    if (!read(source, name, columns, put)) tally.lost = true;
    carried[name] = tally;
  }
  tieLooseEnds(target);
  target.pragma('foreign_keys = ON');
  return carried;
}

/** The new file's columns that the damaged one has too; null when its schema cannot be read. */
function sharedColumns(source: Db, target: Db, table: string): string[] | null {
  try {
    const have = new Set((source.pragma(`table_info(${q(table)})`) as { name: string }[]).map((c) => c.name));
    return (target.pragma(`table_info(${q(table)})`) as { name: string }[]).map((c) => c.name).filter((c) => have.has(c));
  } catch (error) {
    if (isCorruptionError(error)) return null;
    throw error;
  }
}

type Put = (rows: unknown[][]) => void;

/** A table without rowids is read in one pass; rows before a damaged page are still kept. */
function readWhole(source: Db, table: string, columns: string[], put: Put): boolean {
  const rows: unknown[][] = [];
  try {
    for (const row of source
      .prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`)
      .raw()
      .iterate())
      rows.push(row as unknown[]);
    return true;
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    return false;
  } finally {
    put(rows);
  }
}

/**
 * Walks the table by rowid. When a read fails, the damaged stretch is stepped over: probe ever
 * further ahead until a seek succeeds, then narrow back to the first rowid that can be reached,
 * so the rows after the damage are kept. Bounded: about 2 × 53 probes per damaged stretch.
 */
function readByRowid(source: Db, table: string, columns: string[], put: Put): boolean {
  const list = columns.map(q).join(', ');
  const batch = source.prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT ${BATCH}`).raw();
  const one = source.prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1`).raw();
  const seek = source.prepare(`SELECT rowid FROM ${q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1`).pluck();
  const tryRead = <T>(read: () => T): { ok: true; value: T } | { ok: false } => {
    try {
      return { ok: true, value: read() };
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      return { ok: false };
    }
  };
  // The lowest rowid not read yet; every pass of the loop moves it forward or ends.
  let from = Number.MIN_SAFE_INTEGER;
  let whole = true;
  for (;;) {
    const rows = tryRead(() => batch.all(from) as unknown[][]);
    if (rows.ok) {
      if (rows.value.length === 0) return whole;
      put(rows.value.map((row) => row.slice(1)));
      from = (rows.value.at(-1)![0] as number) + 1;
      continue;
    }
    whole = false;
    const start = from;
    // Keep the rows of this batch that come before the damaged page, one at a time.
    for (let n = 0; n < BATCH; n += 1) {
      const row = tryRead(() => one.get(from) as unknown[] | undefined);
      if (!row.ok) break;
      if (row.value === undefined) return whole;
      put([row.value.slice(1)]);
      from = (row.value[0] as number) + 1;
    }
    const resume = stepOver(from - 1, (at) => tryRead(() => seek.get(at) as number | undefined));
    if (resume === null) return whole;
    from = resume > from ? resume : Math.max(from, start) + 1;
  }
}

/** The first rowid past the damage that a seek can reach, or null when nothing lies beyond. */
function stepOver(after: number, seekAt: (at: number) => { ok: true; value: number | undefined } | { ok: false }): number | null {
  let failed = after;
  let step = 1;
  let found: number | undefined;
  while (found === undefined) {
    const at = Math.min(after + step, Number.MAX_SAFE_INTEGER);
    const probe = seekAt(at);
    if (probe.ok) {
      if (probe.value === undefined) return null;
      found = at;
    } else {
      failed = at;
      if (at === Number.MAX_SAFE_INTEGER) return null;
      step *= 2;
    }
  }
  // Narrow back: between the last failing probe and the first good one, the lowest good seek.
  let good = found;
  while (good - failed > 1) {
    const mid = failed + Math.floor((good - failed) / 2);
    if (seekAt(mid).ok) good = mid;
    else failed = mid;
  }
  const first = seekAt(good);
  return first.ok && first.value !== undefined ? first.value : null;
}

/**
 * Rows whose parent was on a lost page. A queued request is never dropped for its lost scan: a
 * stand-in scan is written from what the request knows, so it still syncs and shows in history.
 * Attempts and notes about a lost request have nothing left to describe and go.
 */
function tieLooseEnds(db: Db): void {
  db.exec(`
    INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display, order_id, verdict, reason)
      SELECT o.scan_id, o.created_at, 'keyboard', 'order_id', 'recovered:' || o.id, o.order_id, o.order_id, 'offline', 'offline_queued'
      FROM outbox o WHERE o.scan_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.id = o.scan_id);
    -- An undo whose scan was lost has nothing left to undo in history: it goes with its attempts.
    DELETE FROM coupon_undos WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.id = coupon_undos.scan_id);
    DELETE FROM coupon_offline_admissions WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.id = coupon_offline_admissions.scan_id);
    DELETE FROM attempts WHERE outbox_id IN (SELECT o.id FROM outbox o WHERE o.kind = 'coupon_cancel'
      AND NOT EXISTS (SELECT 1 FROM coupon_undos u WHERE u.outbox_id = o.id));
    DELETE FROM outbox_resolutions WHERE outbox_id IN (SELECT o.id FROM outbox o WHERE o.kind = 'coupon_cancel'
      AND NOT EXISTS (SELECT 1 FROM coupon_undos u WHERE u.outbox_id = o.id));
    DELETE FROM outbox WHERE kind = 'coupon_cancel' AND NOT EXISTS (SELECT 1 FROM coupon_undos u WHERE u.outbox_id = outbox.id);
    DELETE FROM attempts WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = attempts.outbox_id);
    DELETE FROM outbox_resolutions WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = outbox_resolutions.outbox_id);
    DELETE FROM voucher_credentials WHERE NOT EXISTS (SELECT 1 FROM voucher_orders v WHERE v.order_id = voucher_credentials.order_id);
  `);
}

export function removeScratch(scratch: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
}
