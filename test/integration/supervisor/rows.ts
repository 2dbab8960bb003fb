import type { Db } from '../../../electron/core/db/connection';
import { OutboxRepository } from '../../../electron/core/outbox/repository';
import { ScanRepository, type NewScan } from '../../../electron/core/scan/scan-repository';
import type { OutboxState, VerdictReason } from '../../../shared/domain/scan';

export interface TestScan {
  at: number;
  display: string;
  kind?: string;
  orderId?: string | null;
  project?: string | null;
  staff?: string;
  operatorNo?: string;
  shiftId?: number;
  /** Absent: refused without a request (no outbox row). */
  state?: OutboxState;
  logid?: string;
  /** The outbox item's last reason. */
  reason?: string;
  /** The scan's own reason, where the default for its state is not the point (a conflict, a coupon). */
  scanReason?: VerdictReason;
  /** A coupon scan: certificates chosen and their amount in fen. */
  people?: number;
  amountFen?: number;
}

/** Writes scans the way the scan path and the worker do, through the app's own repository. */
export function addScans(db: Db, scans: TestScan[]): { scanId: number; outboxId: number | null }[] {
  const repo = new OutboxRepository(db);
  const records = new ScanRepository(db, repo);
  // One transaction for the lot: a test of thousands of rows then waits on one fsync, not thousands.
  return db.transaction(() =>
    scans.map((s, i) => {
      const scan: NewScan = {
        at: s.at,
        source: 'scanner',
        credentialKind: s.kind ?? 'code',
        credentialKey: `k:${s.display}:${i}:${s.at}`,
        credentialDisplay: s.display,
        orderId: s.orderId === undefined ? `91000000000000${String(i).padStart(5, '0')}` : s.orderId,
        projectId: s.project ?? null,
        projectName: s.project ?? null,
        verdict: s.state === undefined ? 'refused' : s.state === 'verified' ? 'verified' : 'offline',
        reason: s.scanReason ?? (s.state === undefined ? 'not_found' : s.state === 'verified' ? 'verified' : 'offline_queued'),
        staff: s.staff ?? '张三',
        operatorNo: s.operatorNo ?? '',
        shiftId: s.shiftId ?? null,
        windowName: '东门1号',
        poiId: '7000000000000000001',
        people: s.people,
        amountFen: s.amountFen,
      };
      if (s.state === undefined) return records.record(scan);
      const orderId = scan.orderId ?? 'x';
      const verifyToken = `tok-${i}-${s.at}-${Math.random()}`;
      const verifyTime = Math.floor(s.at / 1000);
      // A request the worker can send as it is: a queued row stays queued while Douyin is away.
      const request = JSON.stringify({ order_id: orderId, verify_token: verifyToken, verify_time: verifyTime });
      const ids = records.record(scan, { orderId, verifyToken, verifyTime, request, state: 'queued' });
      if (s.state !== 'queued') {
        repo.finishAttempt(
          ids.outboxId!,
          { startedAt: s.at, finishedAt: s.at + 5, outcome: s.state, reached: true, logid: s.logid ?? `log-${i}` },
          { state: s.state, tries: 1, nextAttemptAt: s.at, lastReason: s.reason ?? null },
        );
      }
      return ids;
    }),
  )();
}

/** `n` verified scans of codes CODE000000…, one millisecond apart from `at`. */
export function addVerifiedCodes(db: Db, at: number, n: number): void {
  addScans(
    db,
    Array.from({ length: n }, (_, i) => ({
      at: at + i,
      display: `CODE${String(i).padStart(6, '0')}`,
      state: 'verified' as const,
    })),
  );
}
