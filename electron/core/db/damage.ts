import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import type { Db } from './connection';

const CORRUPTION_CODES: readonly string[] = ['SQLITE_NOTADB', 'SQLITE_CORRUPT'];

export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPTION_CODES.some((c) => code === c || code.startsWith(`${c}_`));
}

export const describeError = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error | null)?.message ?? String(error)}`;
};

/** SQLite's own check of every page and index entry; null when the file is whole. */
export function quickCheck(db: Db): string | null {
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length === 0 ? null : problems.join('; ').slice(0, 500);
  } catch (error) {
    if (isCorruptionError(error)) return describeError(error);
    throw error;
  }
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What can be seen of a damaged file without reading it all, so start-up stays fast at any
 * size: the magic string, and a file shorter than its header says (cut short by a failing disk).
 * Everything else is left to the integrity check that runs beside the open database.
 */
export function structuralProblem(file: string): string | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100 || !header.subarray(0, 16).equals(HEADER))
      return 'the file header is not a SQLite header';
    const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
    // The header's page count is trusted by SQLite only when this pair matches (offsets 24, 92).
    const counted = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
    if (counted * pageSize > size)
      return `the file is cut short: ${size} bytes, its header counts ${counted} pages of ${pageSize}`;
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Damage the background check found while the app ran is written next to the database, so the
 * next start repairs it first even if the process dies before anyone restarts it on purpose.
 */
export const damageMarkOf = (file: string): string => `${file}.damaged`;

export function markDamaged(file: string, reason: string): void {
  const fd = openSync(damageMarkOf(file), 'w');
  try {
    writeSync(fd, reason);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function damageMark(file: string): string | null {
  return existsSync(damageMarkOf(file)) ? readFileSync(damageMarkOf(file), 'utf8') || 'damage found while running' : null;
}

export function clearDamageMark(file: string): void {
  rmSync(damageMarkOf(file), { force: true });
}
