import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../electron/core/db/connection';
import { ATTEMPT_TOTALS_SQL } from '../electron/core/db/migrations/0017_outbox_attempt_totals';
import { OUTCOME_SQL } from '../electron/core/outbox/scan-outcome';

/**
 * Seeds a data folder's database with a realistic history for benchmarks and load checks:
 * scans over the last 180 days with their outbox rows and attempts, in the mix a busy gate sees.
 *   npx tsx scripts/seed-history.ts <file.db> [rows]
 * Speed matters more than durability here (a half-seeded file is simply seeded again), so this
 * script alone turns synchronous off; the app never does. For the same reason the load goes
 * around the schema's secondary indexes and triggers (see `withoutIndexesAndTriggers`).
 */
export const SEED_VERSION = 1;
const TX_ROWS = 100_000;
export const SPAN_MS = 180 * 86_400_000;
const STAFF = ['张三', '李四', '王五', '赵六', '钱七', '孙八', '周九', '吴十'];
const WINDOWS = ['东门1号', '东门2号', '西门1号'];
const PROJECTS = [
  ['gate', '成人门票'],
  ['child', '儿童票'],
  ['cable', '索道'],
  ['boat', '游船'],
  ['show', '夜场演出'],
] as const;
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Deterministic, so two seeds of the same size are the same history. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Loads rows with the history tables' secondary indexes and triggers dropped, then builds each
 * index once by sorting and puts the triggers back, as the schema wrote them: one B-tree insert
 * per row into eleven indexes at random keys, and the outcome triggers' two UPDATEs per scan,
 * made a million scans take minutes (~400 µs a scan; 5,000,000 would be half an hour). The
 * stored outcome the triggers would write is written by the load itself and then checked against
 * OUTCOME_SQL for every scan, and the attempt totals are set from the attempts once, so the file
 * is the one the triggers would have made.
 */
function withoutIndexesAndTriggers(db: Db, load: () => void): void {
  const schema = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index','trigger') AND sql IS NOT NULL
        AND tbl_name IN ('scans','outbox','attempts') ORDER BY type = 'trigger'`,
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const { type, name } of schema) db.exec(`DROP ${type.toUpperCase()} "${name}"`);
  load();
  db.transaction(() => {
    for (const { sql } of schema) db.exec(sql);
    // What the attempts trigger would have kept, had it not been dropped for the load.
    db.exec(ATTEMPT_TOTALS_SQL);
  })();
  const wrong = db
    .prepare(`SELECT COUNT(*) FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.outcome IS NOT (${OUTCOME_SQL})`)
    .pluck()
    .get() as number;
  if (wrong !== 0) throw new Error(`the seed stored ${wrong} outcomes that OUTCOME_SQL does not give`);
}

/**
 * `spanMs`: how far back the history reaches; at the default a million scans are ~5,600 a day,
 * and the growth bench keeps that density for every size by scaling the span with the rows.
 */
export function seedHistory(file: string, rows: number, endAt = Date.now(), spanMs = SPAN_MS): { rows: number; seconds: number } {
  const started = performance.now();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const random = mulberry32(20261101);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const code = () => Array.from({ length: 10 }, () => ALNUM[Math.floor(random() * ALNUM.length)]).join('');

  const insertScan = db.prepare(`INSERT INTO scans (id, scanned_at, source, credential_kind, credential_key, credential_display,
      order_id, project_id, project_name, verdict, reason, douyin_message, staff, window_name, poi_id, outcome)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, '7000000000000000001', ?)`);
  const insertOutbox = db.prepare(`INSERT INTO outbox (id, scan_id, order_id, verify_token, verify_time, request, state, tries,
      next_attempt_at, last_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)`);
  const insertAttempt = db.prepare(`INSERT INTO attempts (outbox_id, started_at, finished_at, outcome, reached, error_code,
      http_status, logid, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const startAt = endAt - spanMs;
  const step = spanMs / rows;
  const one = (i: number) => {
    const id = i + 1;
    const at = Math.floor(startAt + i * step);
    const kindRoll = random();
    const orderId = `8${digits(18)}`;
    const [kind, display] =
      kindRoll < 0.7 ? ['code', code()] : kindRoll < 0.9 ? ['order_id', orderId] : ['id_card', `110105********${digits(3)}X`];
    const [projectId, projectName] = pick(PROJECTS);
    const roll = random();
    const staff = pick(STAFF);
    const windowName = pick(WINDOWS);
    const source = random() < 0.8 ? 'scanner' : random() < 0.5 ? 'camera' : 'keyboard';
    if (roll < 0.06) {
      const found = roll >= 0.02;
      insertScan.run(
        id,
        at,
        source,
        kind,
        `${kind}:${display}:${id}`,
        display,
        found ? orderId : null,
        found ? projectId : null,
        found ? projectName : null,
        'refused',
        found ? 'already_used' : 'not_found',
        staff,
        windowName,
        found ? 'already_used' : 'refused',
      );
      return;
    }
    const state = roll < 0.91 ? 'verified' : roll < 0.96 ? 'rejected' : roll < 0.99 ? 'queued' : 'needs_attention';
    const verdict = state === 'verified' ? 'verified' : state === 'rejected' ? 'refused' : 'offline';
    const reason = state === 'verified' ? 'verified' : state === 'rejected' ? 'douyin_rejected' : 'offline_queued';
    insertScan.run(
      id,
      at,
      source,
      kind,
      `${kind}:${display}:${id}`,
      display,
      orderId,
      projectId,
      projectName,
      verdict,
      reason,
      staff,
      windowName,
      state === 'queued' ? 'pending' : state,
    );
    const lastReason =
      state === 'rejected'
        ? 'rejected · 2190008 · 券码已使用'
        : state === 'needs_attention'
          ? 'configuration · 2190004 · 应用未授权'
          : state === 'queued'
            ? 'transient · network'
            : null;
    insertOutbox.run(
      id,
      id,
      orderId,
      `tok-${id}`,
      Math.floor(at / 1000),
      state,
      state === 'needs_attention' ? 3 : 0,
      at + 60_000,
      lastReason,
      at,
      at + 300,
    );
    const attempts = state === 'needs_attention' ? 3 : state === 'verified' && random() < 0.1 ? 2 : 1;
    for (let n = 0; n < attempts; n += 1) {
      const last = n === attempts - 1;
      const reached = state !== 'queued' && (last || state === 'needs_attention');
      const outcome = !reached ? 'transient:network' : last ? state : 'configuration';
      insertAttempt.run(
        id,
        at + n * 1000,
        at + n * 1000 + 120,
        outcome,
        reached ? 1 : 0,
        state === 'rejected' ? 2190008 : null,
        reached ? 200 : null,
        reached ? `2026${id.toString(16).padStart(12, '0')}${n}` : null,
        last ? lastReason : null,
      );
    }
  };
  withoutIndexesAndTriggers(db, () => {
    for (let start = 0; start < rows; start += TX_ROWS) {
      db.transaction(() => {
        for (let i = start; i < Math.min(rows, start + TX_ROWS); i += 1) one(i);
      })();
    }
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const file = resolve(process.argv[2] ?? 'bench/out/history-seed.db');
  const rows = Number(process.argv[3] ?? 1_000_000);
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, not ${process.argv[3]}`);
  if (existsSync(file)) console.log(`replacing ${file}`);
  const { seconds } = seedHistory(file, rows);
  console.log(`seeded ${rows} scans into ${file} in ${seconds.toFixed(1)} s`);
}
