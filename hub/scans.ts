import type { HubScan } from '../shared/hub/protocol';
import type { Db } from './db';
import type { AuthedWindow } from './window-auth';

/** Idempotent by (window, scan): a resent batch stores nothing twice. */
export async function storeScans(
  db: Db,
  window: AuthedWindow,
  scans: HubScan[],
): Promise<{ stored: number; duplicates: number }> {
  const stored = await db.query(
    `INSERT INTO scans (window_id, scan_id, scanned_at, outcome, masked_code, product, operator)
     SELECT $1, s.scan_id, to_timestamp(s.at / 1000.0), s.outcome, s.masked_code, s.product, s.operator
       FROM jsonb_to_recordset($2::jsonb) AS s(scan_id text, at bigint, outcome text, masked_code text, product text, operator text)
     ON CONFLICT DO NOTHING`,
    [
      window.id,
      JSON.stringify(
        scans.map((scan) => ({
          scan_id: scan.scanId,
          at: scan.scannedAtMs,
          outcome: scan.outcome,
          masked_code: scan.maskedCode,
          product: scan.product ?? null,
          operator: scan.operator ?? null,
        })),
      ),
    ],
  );
  const count = stored.rowCount ?? 0;
  return { stored: count, duplicates: scans.length - count };
}

export interface DayReport {
  day: string;
  byHour: { hour: number; window: string; outcome: string; count: number }[];
  windows: { id: string; name: string; version: string | null; lastSeen: string | null; revoked: boolean }[];
}

/** The site's day in Asia/Shanghai: entries per hour and window, and each window's last contact. */
export async function dayReport(db: Db, day: string): Promise<DayReport> {
  const byHour = await db.query<{ hour: number; window: string; outcome: string; count: string }>(
    `SELECT extract(hour FROM s.scanned_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, w.name AS window,
            s.outcome, count(*) AS count
       FROM scans s JOIN windows w ON w.id = s.window_id
      WHERE (s.scanned_at AT TIME ZONE 'Asia/Shanghai')::date = $1::date
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [day],
  );
  const windows = await db.query<{
    id: string;
    name: string;
    version: string | null;
    last_seen: string | null;
    revoked: boolean;
  }>(
    `SELECT id, name, version, to_char(last_seen_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS last_seen,
            revoked_at IS NOT NULL AS revoked
       FROM windows ORDER BY paired_at`,
  );
  return {
    day,
    byHour: byHour.rows.map((row) => ({ ...row, count: Number(row.count) })),
    windows: windows.rows.map((row) => ({
      id: row.id,
      name: row.name,
      version: row.version,
      lastSeen: row.last_seen,
      revoked: row.revoked,
    })),
  };
}
