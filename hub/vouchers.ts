import { createHmac } from 'node:crypto';
import { parseVoucherFile } from '../shared/vouchers/file';
import { VOUCHER_PAGE_MAX_ROWS, type VoucherLoadAnswer, type VoucherPage } from '../shared/hub/protocol';
import { derivedKey, openText, sealText } from '../electron/core/secrets/aes-gcm';
import { windowVoucherKey } from '../electron/core/hub/voucher-seal';
import { inTransaction, type Db } from './db';
import { HubRefusal } from './refusal';

/** Any fixed number: one load at a time across hub processes, so change numbers commit in order. */
const LOAD_LOCK = 0x4855_4203;
const ROWS_PER_STATEMENT = 1_000;
/** A page stops growing past this many sealed bytes (always at least one change). */
const PAGE_MAX_BYTES = 1024 * 1024;

/** The hub's keys for orders at rest: one seals them, one fingerprints them to notice a change. */
export interface VoucherKeys {
  seal: Buffer;
  digest: Buffer;
}

export function voucherKeys(rootSecret: string): VoucherKeys {
  return { seal: derivedKey(rootSecret, 'hub vouchers at rest v1'), digest: derivedKey(rootSecret, 'hub voucher digest v1') };
}

function refuseFile(errors: { line: number; message: string }[], count: number): never {
  const lines = [...new Set(errors.map((e) => e.line))].slice(0, 10);
  const details = errors
    .slice(0, 10)
    .map((e) => e.message)
    .join('; ');
  throw new HubRefusal(
    400,
    'bad_voucher_file',
    `凭证文件有 ${count} 处错误，未导入（${lines.map((l) => (l === 0 ? '整个文件' : `第 ${l} 行`)).join('、')}）：${details}`,
    `The voucher file has ${count} error(s) and was not loaded: ${details}`,
  );
}

/**
 * A supervisor's voucher file, validated as the window validates it, becomes the site's list:
 * new and changed orders take a new change number, orders no longer in the file are removed (also
 * with a number), unchanged orders keep theirs. All in one transaction, under a lock that makes
 * loads take turns, so a window never sees a number before an earlier one has committed.
 */
export async function loadVouchers(db: Db, keys: VoucherKeys, text: string): Promise<VoucherLoadAnswer> {
  const parsed = parseVoucherFile(text);
  if (!parsed.ok) refuseFile(parsed.errors, parsed.errorCount);
  const rows = parsed.orders.map((order) => {
    const content = JSON.stringify(order);
    return {
      order_id: order.order_id,
      digest: createHmac('sha256', keys.digest).update(content).digest('base64url'),
      sealed: sealText(keys.seal, content),
    };
  });
  const client = await db.connect();
  try {
    return await inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOAD_LOCK]);
      let changed = 0;
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const upserted = await client.query(
          `INSERT INTO hub_vouchers (order_id, digest, sealed)
           SELECT r.order_id, r.digest, r.sealed FROM jsonb_to_recordset($1::jsonb) AS r(order_id text, digest text, sealed text)
           ON CONFLICT (order_id) DO UPDATE
             SET digest = EXCLUDED.digest, sealed = EXCLUDED.sealed, removed_at = NULL,
                 seq = nextval('hub_voucher_seq'), changed_at = now()
           WHERE hub_vouchers.digest <> EXCLUDED.digest OR hub_vouchers.removed_at IS NOT NULL`,
          [JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))],
        );
        changed += upserted.rowCount ?? 0;
      }
      const removed = await client.query(
        `UPDATE hub_vouchers SET removed_at = now(), sealed = NULL, seq = nextval('hub_voucher_seq'), changed_at = now()
          WHERE removed_at IS NULL AND NOT (order_id = ANY($1::text[]))`,
        [rows.map((r) => r.order_id)],
      );
      const top = await client.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM hub_vouchers');
      const answer = { orders: rows.length, changed, removed: removed.rowCount ?? 0, cursor: Number(top.rows[0]?.seq ?? 0) };
      await client.query('INSERT INTO hub_voucher_loads (orders, changed, removed, through_seq) VALUES ($1, $2, $3, $4)', [
        answer.orders,
        answer.changed,
        answer.removed,
        answer.cursor,
      ]);
      return answer;
    });
  } finally {
    client.release();
  }
}

type ChangeRow = { seq: string | null; order_id: string | null; sealed: string | null; fits: boolean | null; top: string | null };

/**
 * The changes after `after`, oldest first, bounded in rows and bytes, sealed for this window. One
 * statement, so the page and the newest number are of one snapshot. A first pull (after 0) skips
 * removals: the window never had those orders.
 */
export async function voucherChanges(
  db: Db,
  keys: VoucherKeys,
  window: { id: string; secret: string },
  after: number,
  limit: number,
): Promise<VoucherPage> {
  const rows = Math.min(Math.max(limit, 1), VOUCHER_PAGE_MAX_ROWS);
  const found = await db.query<ChangeRow>(
    `WITH candidates AS (
       SELECT seq, order_id, sealed, row_number() OVER (ORDER BY seq) AS n,
              sum(coalesce(length(sealed), 0)) OVER (ORDER BY seq) AS bytes
         FROM hub_vouchers WHERE seq > $1 AND ($1 > 0 OR removed_at IS NULL) ORDER BY seq LIMIT $2 + 1)
     SELECT c.seq, c.order_id, c.n <= $2 AND (c.bytes <= $3 OR c.n = 1) AS fits,
            CASE WHEN c.n <= $2 AND (c.bytes <= $3 OR c.n = 1) THEN c.sealed END AS sealed, t.top
       FROM (SELECT max(seq) AS top FROM hub_vouchers) t LEFT JOIN candidates c ON true
      ORDER BY c.seq`,
    [after, rows, PAGE_MAX_BYTES],
  );
  const top = Number(found.rows[0]?.top ?? 0);
  const page = found.rows.filter((r): r is ChangeRow & { seq: string; order_id: string } => r.fits === true);
  const cut = page.length < found.rows.filter((r) => r.seq !== null).length;
  const changes = page.map((r) => ({
    seq: Number(r.seq),
    orderId: r.order_id,
    order: r.sealed === null ? null : (JSON.parse(openText(keys.seal, r.sealed)) as unknown),
  }));
  // Not cut: every change after `after` is here, and the numbers past them are skipped removals.
  const cursor = cut ? (changes.at(-1)?.seq ?? after) : Math.max(after, top);
  await db.query('INSERT INTO hub_voucher_pulls (window_id, after_seq, through_seq, rows) VALUES ($1, $2, $3, $4)', [
    window.id,
    after,
    cursor,
    changes.length,
  ]);
  const sealed = sealText(windowVoucherKey(window.secret), JSON.stringify(changes));
  return { cursor, more: cut, count: changes.length, sealed };
}
