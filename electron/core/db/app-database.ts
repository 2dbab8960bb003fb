import { openDatabase, type Db } from './connection';
import { clearDamageMark, damageMark, describeError, isCorruptionError, markDamaged, structuralProblem } from './damage';
import { recoverDatabase } from './recovery';
import type { DatabaseRecovery } from './recovery-log';

/**
 * Opens the app's own database at start-up, fast at any size: only what can be seen without
 * reading the whole file is checked here (the header, a file cut short, damage the background
 * check marked earlier). The full integrity check runs beside the open database afterwards
 * (integrity-check.ts). A damaged file goes to the repair (recovery.ts); the caller records
 * the repair and tells the staff. Any other failure (permissions, a newer schema, a full disk)
 * is thrown as it is: repairing a healthy file would hide the real problem.
 */
export function openAppDatabase(file: string, options: { now?: () => number } = {}): { db: Db; recovery?: DatabaseRecovery } {
  let reason = damageMark(file) ?? structuralProblem(file);
  if (reason === null) {
    try {
      return { db: openDatabase(file) };
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      reason = describeError(error);
    }
  }
  // Kept until the repair is done: a crash halfway through repairs again at the next start.
  markDamaged(file, reason);
  const { db, recovery } = recoverDatabase(file, reason, (options.now ?? Date.now)());
  clearDamageMark(file);
  return { db, recovery };
}
