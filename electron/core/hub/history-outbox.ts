import { z } from 'zod';
import type { HistoryPushRequest, HubChange } from '../../../shared/hub/protocol';
import type { Db } from '../db/connection';

/** Below the hub's 1 MiB body limit with room for JSON escaping of Chinese text. */
const MAX_BATCH_BYTES = 512 * 1024;
const MAX_BATCH_ENTRIES = 500;

/**
 * A code, order id or link as the site's history shows it: the ends only. An ID number is masked
 * already (first 6, last 4) and stays so.
 */
function maskForSite(display: string): string {
  const shown = display.slice(0, 40);
  if (shown.includes('*')) return shown;
  if (shown.length <= 6) return '*'.repeat(Math.max(shown.length, 1));
  return `${shown.slice(0, 2)}${'*'.repeat(shown.length - 6)}${shown.slice(-4)}`;
}

const Entry = z.object({ seq: z.number().int(), kind: z.enum(['scan', 'attempt', 'shift', 'operator']), ref: z.number().int() });
const ScanRow = z.object({
  id: z.number().int(),
  scanned_at: z.number().int(),
  source: z.string(),
  credential_kind: z.string(),
  credential_display: z.string(),
  order_id: z.string().nullable(),
  project_id: z.string().nullable(),
  project_name: z.string().nullable(),
  verdict: z.string(),
  reason: z.string(),
  outcome: z.string(),
  site_claim: z.enum(['claimed', 'unclaimed', 'lost', 'released']).nullable(),
  operator_no: z.string(),
  shift_id: z.number().int().nullable(),
  people: z.number().int().nullable(),
  amount_fen: z.number().int().nullable(),
  state: z.enum(['queued', 'sending', 'verified', 'rejected', 'needs_attention']).nullable(),
  tries: z.number().int().nullable(),
  last_reason: z.string().nullable(),
});
const AttemptRow = z.object({
  id: z.number().int(),
  scan_id: z.number().int(),
  started_at: z.number().int(),
  finished_at: z.number().int(),
  outcome: z.string(),
  reached: z.number().int(),
  error_code: z.number().int().nullable(),
  http_status: z.number().int().nullable(),
  logid: z.string().nullable(),
});
const ShiftRow = z.object({
  id: z.number().int(),
  staff_no: z.string(),
  opened_at: z.number().int(),
  closed_at: z.number().int().nullable(),
  close_kind: z.enum(['sign_out', 'handover', 'crash']).nullable(),
  report: z.string().nullable(),
});
const OperatorRow = z.object({
  id: z.number().int(),
  staff_no: z.string(),
  name: z.string(),
  role: z.enum(['staff', 'supervisor']),
  disabled: z.number().int(),
});
const Unclaimed = z.object({
  scanId: z.number().int(),
  at: z.number().int(),
  orderId: z.string(),
  projectId: z.string().nullable(),
  verifyToken: z.string(),
  /** A coupon admitted offline is claimed by its code (or QR), not by an order (migration 0016). */
  claimKey: z.string().nullable(),
});
const CLAIM_COLUMNS = `s.id AS scanId, s.scanned_at AS at, o.order_id AS orderId, s.project_id AS projectId,
    o.verify_token AS verifyToken, a.claim_key AS claimKey
  FROM scans s JOIN outbox o ON o.scan_id = s.id LEFT JOIN coupon_offline_admissions a ON a.scan_id = s.id`;
export type UnclaimedScan = z.infer<typeof Unclaimed>;

/**
 * The window's side of the site hub's history and claims, in SQLite: the durable outbox of
 * changes (filled by the triggers of migration 0011), and the scans still to claim or release.
 */
export class HubOutbox {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      link: db.prepare('SELECT window_id FROM hub_link WHERE id = 1'),
      pending: db.prepare('SELECT count(*) AS n FROM hub_changes'),
      entries: db.prepare('SELECT seq, kind, ref FROM hub_changes ORDER BY seq LIMIT ?'),
      forget: db.prepare('DELETE FROM hub_changes WHERE seq <= ?'),
      scan: db.prepare(`SELECT s.id, s.scanned_at, s.source, s.credential_kind, s.credential_display, s.order_id, s.project_id,
          s.project_name, s.verdict, s.reason, COALESCE(s.outcome, 'refused') AS outcome, s.site_claim, s.operator_no, s.shift_id,
          s.people, s.amount_fen, o.state, o.tries, o.last_reason
        FROM scans s LEFT JOIN outbox o ON o.scan_id = s.id WHERE s.id = ?`),
      attempt: db.prepare(`SELECT a.id, o.scan_id, a.started_at, a.finished_at, a.outcome, a.reached, a.error_code, a.http_status,
          a.logid FROM attempts a JOIN outbox o ON o.id = a.outbox_id WHERE a.id = ?`),
      shift: db.prepare(`SELECT sh.id, op.staff_no, sh.opened_at, sh.closed_at, sh.close_kind, sh.report
        FROM shifts sh JOIN operators op ON op.id = sh.operator_id WHERE sh.id = ?`),
      operator: db.prepare('SELECT id, staff_no, name, role, disabled FROM operators WHERE id = ?'),
      unclaimed: db.prepare(`SELECT ${CLAIM_COLUMNS} WHERE s.site_claim = 'unclaimed' ORDER BY s.id LIMIT ?`),
      refusedClaims: db.prepare(`SELECT ${CLAIM_COLUMNS}
        WHERE s.site_claim = 'claimed' AND s.outcome IN ('refused', 'rejected') ORDER BY s.id LIMIT ?`),
      setClaim: db.prepare(`UPDATE scans SET site_claim = @claim WHERE id = @scanId AND site_claim = @from`),
      stateOf: db.prepare('SELECT state FROM outbox WHERE scan_id = ?'),
      conflict: db.prepare(`UPDATE scans SET site_claim = 'lost', reason = 'used_elsewhere' WHERE id = ?`),
      hold: db.prepare(`UPDATE outbox SET state = 'needs_attention', last_reason = @why, updated_at = @at
        WHERE scan_id = @scanId AND state = 'queued'`),
      counts: db.prepare(`SELECT
          (SELECT count(*) FROM scans WHERE site_claim = 'unclaimed') AS unclaimed,
          (SELECT count(*) FROM hub_changes) AS pending`),
    };
  }

  linkedWindow(): string | undefined {
    return (this.stmts.link.get() as { window_id: string } | undefined)?.window_id;
  }

  /**
   * Starts (or moves) the history to this window id: from now on every change is logged, and what
   * the window already holds is queued once, operators first so the hub knows every 工号 it sees.
   * `backfill: false` (paired from demo mode): what it holds is the demo's, and stays at the window.
   */
  link(windowId: string, at: number, backfill = true): void {
    if (this.linkedWindow() === windowId) return;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM hub_changes; DELETE FROM hub_link;');
      this.db.prepare('INSERT INTO hub_link (id, window_id, linked_at) VALUES (1, ?, ?)').run(windowId, at);
      if (!backfill) return;
      this.db.exec(`
        INSERT INTO hub_changes (kind, ref) SELECT 'operator', id FROM operators ORDER BY id;
        INSERT INTO hub_changes (kind, ref) SELECT 'shift', id FROM shifts ORDER BY id;
        INSERT INTO hub_changes (kind, ref) SELECT 'scan', id FROM scans ORDER BY id;
        INSERT INTO hub_changes (kind, ref) SELECT 'attempt', id FROM attempts ORDER BY id;`);
    })();
  }

  /** Unpaired: nothing more is logged, and nothing unsent is kept for a hub that is gone. */
  unlink(): void {
    this.db.exec('DELETE FROM hub_link; DELETE FROM hub_changes;');
  }

  counts(): { unclaimed: number; pending: number } {
    return this.stmts.counts.get() as { unclaimed: number; pending: number };
  }

  /** The oldest entries as one push, each row's newest state once; undefined when all is sent. */
  batch(): Omit<HistoryPushRequest, 'version'> | undefined {
    const entries = this.stmts.entries.all(MAX_BATCH_ENTRIES).map((row) => Entry.parse(row));
    const last = entries.at(-1);
    if (!last) return undefined;
    const newest = new Map(entries.map((e) => [`${e.kind}:${e.ref}`, e.seq]));
    const changes: HubChange[] = [];
    let bytes = 0;
    let throughSeq = last.seq;
    for (const entry of entries) {
      if (newest.get(`${entry.kind}:${entry.ref}`) !== entry.seq) continue;
      const change = this.changeOf(entry);
      if (!change) continue;
      bytes += JSON.stringify(change).length;
      if (bytes > MAX_BATCH_BYTES && changes.length > 0) {
        // The rest goes next time; entries skipped above as older duplicates are covered by this cut.
        throughSeq = entry.seq - 1;
        break;
      }
      changes.push(change);
    }
    return { throughSeq, changes };
  }

  /** The hub has everything up to `seq`. */
  forget(seq: number): void {
    this.stmts.forget.run(seq);
  }

  unclaimed(limit: number): UnclaimedScan[] {
    return this.stmts.unclaimed.all(limit).map((row) => Unclaimed.parse(row));
  }

  /** Claimed scans Douyin refused: the site may use those tickets again. */
  refusedClaims(limit: number): UnclaimedScan[] {
    return this.stmts.refusedClaims.all(limit).map((row) => Unclaimed.parse(row));
  }

  claimedLater(scanId: number): void {
    this.stmts.setClaim.run({ scanId, claim: 'claimed', from: 'unclaimed' });
  }

  released(scanId: number): void {
    this.stmts.setClaim.run({ scanId, claim: 'released', from: 'claimed' });
  }

  /**
   * A later claim lost: another window used the ticket first, and this one may have let someone in
   * on it. The scan becomes a conflict (the outcome history, the shift report and the hub show),
   * and a request not sent yet is held for a supervisor instead of asking Douyin to verify a ticket
   * already used. While its request is in flight the scan stays unclaimed, for the next round.
   */
  lost(scanId: number, holder: { windowName: string; at: number }, now: number): boolean {
    return this.db.transaction(() => {
      const state = (this.stmts.stateOf.get(scanId) as { state: string } | undefined)?.state;
      if (state === 'sending') return false;
      if (state === 'rejected') {
        // Douyin refused it anyway: nobody holds a use of it here, so there is nothing to weigh.
        this.stmts.setClaim.run({ scanId, claim: 'lost', from: 'unclaimed' });
        return true;
      }
      this.stmts.conflict.run(scanId);
      const when = new Date(holder.at).toISOString();
      this.stmts.hold.run({ scanId, at: now, why: `used_elsewhere · site hub: ${holder.windowName} ${when}` });
      return true;
    })();
  }

  private changeOf(entry: z.infer<typeof Entry>): HubChange | undefined {
    const { seq } = entry;
    switch (entry.kind) {
      case 'scan': {
        const found = this.stmts.scan.get(entry.ref);
        if (!found) return undefined;
        const r = ScanRow.parse(found);
        return {
          seq,
          kind: 'scan',
          scan: {
            id: r.id,
            scannedAtMs: r.scanned_at,
            source: r.source,
            credentialKind: r.credential_kind,
            maskedCode: maskForSite(r.credential_display),
            orderId: r.order_id,
            projectId: r.project_id,
            product: r.project_name,
            verdict: r.verdict,
            reason: r.reason,
            outcome: r.outcome,
            siteClaim: r.site_claim,
            operatorNo: r.operator_no,
            shiftId: r.shift_id,
            people: r.people,
            amountFen: r.amount_fen,
            queueState: r.state,
            tries: r.tries ?? 0,
            lastReason: r.last_reason?.slice(0, 300) ?? null,
          },
        };
      }
      case 'attempt': {
        const found = this.stmts.attempt.get(entry.ref);
        if (!found) return undefined;
        const r = AttemptRow.parse(found);
        return {
          seq,
          kind: 'attempt',
          attempt: {
            id: r.id,
            scanId: r.scan_id,
            startedAtMs: r.started_at,
            finishedAtMs: r.finished_at,
            outcome: r.outcome.slice(0, 60),
            reached: r.reached === 1,
            errorCode: r.error_code,
            httpStatus: r.http_status,
            logid: r.logid?.slice(0, 120) ?? null,
          },
        };
      }
      case 'shift': {
        const found = this.stmts.shift.get(entry.ref);
        if (!found) return undefined;
        const r = ShiftRow.parse(found);
        return {
          seq,
          kind: 'shift',
          shift: {
            id: r.id,
            operatorNo: r.staff_no,
            openedAtMs: r.opened_at,
            closedAtMs: r.closed_at,
            closeKind: r.close_kind,
            report: r.report,
          },
        };
      }
      case 'operator': {
        const found = this.stmts.operator.get(entry.ref);
        if (!found) return undefined;
        const r = OperatorRow.parse(found);
        return {
          seq,
          kind: 'operator',
          operator: { id: r.id, staffNo: r.staff_no, name: r.name, role: r.role, disabled: r.disabled === 1 },
        };
      }
    }
  }
}
