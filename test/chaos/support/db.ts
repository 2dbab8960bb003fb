import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../../electron/core/app';
import type { Db } from '../../../electron/core/db/connection';
import { MAY_HAVE_REACHED_SQL } from '../../../electron/core/outbox/scan-outcome';

/** Row counts of every table: what "nothing was written" is checked against. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

export interface HistoryRow {
  scan_id: number;
  scanned_at: number;
  order_id: string | null;
  verdict: string;
  reason: string;
  outbox_id: number | null;
  state: string | null;
  verify_time: number | null;
  verify_token: string | null;
  kind: 'trip' | 'coupon' | null;
  last_reason: string | null;
  /**
   * 1 when no attempt may have reached Douyin but one was reset before any answer: the
   * connection died after the request may have gone out. A later "already verified" is then a
   * used-elsewhere conflict by design (MAY_HAVE_REACHED_SQL), whoever verified it.
   */
  reset_unanswered: 0 | 1;
}

/** The local history as the supervisor would see it: every scan with its outbox item. */
export function history(db: Db): HistoryRow[] {
  return db
    .prepare(
      `SELECT s.id AS scan_id, s.scanned_at, s.order_id, s.verdict, s.reason, o.id AS outbox_id, o.state,
              o.verify_time, o.verify_token, o.kind, o.last_reason,
              EXISTS (SELECT 1 FROM attempts a WHERE a.outbox_id = o.id AND a.outcome = 'transient:reset' AND a.reached = 0)
                AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.outbox_id = o.id AND a.outcome <> 'verified' AND ${MAY_HAVE_REACHED_SQL}) AS reset_unanswered
       FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id ORDER BY s.id`,
    )
    .all() as HistoryRow[];
}

/** Reads a data folder's database without taking its lock (a supervisor's tool would do so). */
export function withReadOnly<T>(dataDir: string, read: (db: Db) => T): T {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

export function outboxStateCounts(db: Db): Record<string, number> {
  const rows = db.prepare(`SELECT state, COUNT(*) AS n FROM outbox GROUP BY state`).all() as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
