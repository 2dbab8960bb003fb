import type { Db } from './db';

/** The outcomes that let the visitor in, as the window's day view counts them. */
const ENTRY_SQL = `s.outcome IN ('verified', 'pending')`;
const BEIJING = `'Asia/Shanghai'`;

export interface SiteReport {
  day: string;
  /** Entries (and all scans) per Beijing hour and window. */
  byHour: { hour: number; window: string; entries: number; total: number }[];
  byWindow: { window: string; entries: number; total: number }[];
  byOperator: { operator: string; window: string; entries: number; total: number }[];
  byProduct: { product: string; entries: number; total: number }[];
  /** Each window's queue now (not only the day's) and how it was last heard from. */
  windows: {
    id: string;
    name: string;
    version: string | null;
    lastSeen: string | null;
    revoked: boolean;
    queued: number;
    needsAttention: number;
    conflicts: number;
  }[];
  /** The newest conflicts of every window: admitted here, used elsewhere first. */
  conflicts: { window: string; scannedAt: string; maskedCode: string; orderId: string | null; lastReason: string | null }[];
}

const counts = (row: { entries: string; total: string }) => ({ entries: Number(row.entries), total: Number(row.total) });

/** The site's day in Beijing time, from the history every window sent. */
export async function siteReport(db: Db, day: string): Promise<SiteReport> {
  const ofDay = `FROM scans s JOIN windows w ON w.id = s.window_id WHERE (s.scanned_at AT TIME ZONE ${BEIJING})::date = $1::date`;
  const tally = `count(*) FILTER (WHERE ${ENTRY_SQL}) AS entries, count(*) AS total`;
  const [byHour, byWindow, byOperator, byProduct, windows, conflicts] = await Promise.all([
    db.query<{ hour: number; window: string; entries: string; total: string }>(
      `SELECT extract(hour FROM s.scanned_at AT TIME ZONE ${BEIJING})::int AS hour, w.name AS window, ${tally}
         ${ofDay} GROUP BY 1, 2 ORDER BY 1, 2`,
      [day],
    ),
    db.query<{ window: string; entries: string; total: string }>(
      `SELECT w.name AS window, ${tally} ${ofDay} GROUP BY 1 ORDER BY 1`,
      [day],
    ),
    db.query<{ operator: string; window: string; entries: string; total: string }>(
      `SELECT coalesce(s.operator, '') AS operator, w.name AS window, ${tally} ${ofDay} GROUP BY 1, 2 ORDER BY 1, 2`,
      [day],
    ),
    db.query<{ product: string; entries: string; total: string }>(
      `SELECT coalesce(s.product, s.project_id, '') AS product, ${tally} ${ofDay} GROUP BY 1 ORDER BY 3 DESC, 1`,
      [day],
    ),
    db.query<{
      id: string;
      name: string;
      version: string | null;
      last_seen: string | null;
      revoked: boolean;
      queued: string;
      needs_attention: string;
      conflicts: string;
    }>(
      `SELECT w.id, w.name, w.version, to_char(w.last_seen_at AT TIME ZONE ${BEIJING}, 'YYYY-MM-DD HH24:MI:SS') AS last_seen,
              w.revoked_at IS NOT NULL AS revoked,
              count(s.scan_id) FILTER (WHERE s.queue_state IN ('queued', 'sending')) AS queued,
              count(s.scan_id) FILTER (WHERE s.outcome = 'needs_attention') AS needs_attention,
              count(s.scan_id) FILTER (WHERE s.outcome = 'conflict') AS conflicts
         FROM windows w LEFT JOIN scans s ON s.window_id = w.id AND s.outcome IN ('pending', 'needs_attention', 'conflict')
        GROUP BY w.id ORDER BY w.paired_at`,
    ),
    db.query<{ window: string; scanned_at: string; masked_code: string; order_id: string | null; last_reason: string | null }>(
      `SELECT w.name AS window, to_char(s.scanned_at AT TIME ZONE ${BEIJING}, 'YYYY-MM-DD HH24:MI:SS') AS scanned_at,
              s.masked_code, s.order_id, s.last_reason
         FROM scans s JOIN windows w ON w.id = s.window_id WHERE s.outcome = 'conflict'
        ORDER BY s.scanned_at DESC LIMIT 100`,
    ),
  ]);
  return {
    day,
    byHour: byHour.rows.map((r) => ({ hour: r.hour, window: r.window, ...counts(r) })),
    byWindow: byWindow.rows.map((r) => ({ window: r.window, ...counts(r) })),
    byOperator: byOperator.rows.map((r) => ({ operator: r.operator, window: r.window, ...counts(r) })),
    byProduct: byProduct.rows.map((r) => ({ product: r.product, ...counts(r) })),
    windows: windows.rows.map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      lastSeen: r.last_seen,
      revoked: r.revoked,
      queued: Number(r.queued),
      needsAttention: Number(r.needs_attention),
      conflicts: Number(r.conflicts),
    })),
    conflicts: conflicts.rows.map((r) => ({
      window: r.window,
      scannedAt: r.scanned_at,
      maskedCode: r.masked_code,
      orderId: r.order_id,
      lastReason: r.last_reason,
    })),
  };
}
