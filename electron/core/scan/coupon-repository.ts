import { PENDING_STATES } from '../outbox/scan-outcome';
import { z } from 'zod';
import { ScanSource } from '../../../shared/domain/scan';
import type { Db } from '../db/connection';
import type { VerifiedCertificate } from '../outbox/coupon-verifier';
import type { PrepareStep } from '../outbox/offline-coupon-item';
import type { NewOutboxItem } from '../outbox/repository';
import type { NewScan, ScanRepository } from './scan-repository';
import { PreparedCertificate } from './prepared-certificates';

export interface NewPrepare {
  at: number;
  source: ScanSource;
  credentialKind: string;
  credentialKey: string;
  credentialDisplay: string;
  orderId: string;
  verifyToken: string;
  skuTitle: string;
  certificates: PreparedCertificate[];
}

const AwaitingRow = z
  .object({
    id: z.number().int(),
    prepared_at: z.number().int(),
    order_id: z.string(),
    verify_token: z.string(),
    sku_title: z.string(),
    source: ScanSource,
    credential_kind: z.string(),
    credential_key: z.string(),
    credential_display: z.string(),
    certificates: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    preparedAt: r.prepared_at,
    orderId: r.order_id,
    verifyToken: r.verify_token,
    skuTitle: r.sku_title,
    source: r.source,
    credentialKind: r.credential_kind,
    credentialKey: r.credential_key,
    credentialDisplay: r.credential_display,
    certificates: z.array(PreparedCertificate).parse(JSON.parse(r.certificates)),
  }));
export type AwaitingPrepare = z.infer<typeof AwaitingRow>;

/**
 * Owns coupon_prepares and coupon_certificates. A prepare waits for the staff's count;
 * confirming writes the scan, the verify request and the chosen certificates in one
 * transaction, before anything is sent.
 */
export class CouponRepository {
  private readonly stmts;
  /** Built once: it is on the scan path of every coupon (see OutboxRepository's recordTx). */
  private readonly confirmTx;

  constructor(
    private readonly db: Db,
    private readonly scans: ScanRepository,
  ) {
    this.stmts = {
      insertPrepare: db.prepare(`INSERT INTO coupon_prepares (prepared_at, source, credential_kind, credential_key,
          credential_display, order_id, verify_token, sku_title, certificates, state)
        VALUES (@at, @source, @credentialKind, @credentialKey, @credentialDisplay, @orderId, @verifyToken, @skuTitle,
          @certificates, 'awaiting')`),
      awaiting: db.prepare(`SELECT id, prepared_at, order_id, verify_token, sku_title, source, credential_kind,
          credential_key, credential_display, certificates
          FROM coupon_prepares WHERE id = ? AND state = 'awaiting'`),
      settle: db.prepare(`UPDATE coupon_prepares SET state = @state, scan_id = @scanId WHERE id = @id AND state = 'awaiting'`),
      setScan: db.prepare(`UPDATE coupon_prepares SET scan_id = ? WHERE id = ?`),
      pending: db.prepare(`SELECT c.certificate_id FROM coupon_certificates c JOIN outbox o ON o.scan_id = c.scan_id
          WHERE o.order_id = ? AND o.state IN ${PENDING_STATES}`),
      insertCertificate: db.prepare(`INSERT INTO coupon_certificates (scan_id, certificate_id, encrypted_code, amount_fen)
          VALUES (@scanId, @certificateId, @encryptedCode, @amountFen)`),
      certificateVerified: db.prepare(`UPDATE coupon_certificates SET verify_id = @verifyId, verified_at = @at
          WHERE scan_id = @scanId AND certificate_id = @certificateId`),
      certificateUndone: db.prepare(`UPDATE coupon_certificates SET undone_at = @at
          WHERE scan_id = (SELECT scan_id FROM coupon_undos WHERE outbox_id = @outboxId) AND certificate_id = @certificateId
            AND undone_at IS NULL`),
    };
    this.confirmTx = db.transaction(
      (
        prepare: number | NewPrepare,
        scan: NewScan,
        item: NewOutboxItem,
        chosen: readonly PreparedCertificate[],
      ): { scanId: number; outboxId: number | null } | undefined => {
        const prepareId = typeof prepare === 'number' ? prepare : this.addPrepare(prepare);
        // Two confirms of one prepare (a double Enter) must not verify twice: the first one wins.
        if (this.stmts.settle.run({ id: prepareId, state: 'confirmed', scanId: null }).changes !== 1) return undefined;
        const recorded = this.scans.record(scan, item);
        this.stmts.setScan.run(recorded.scanId, prepareId);
        this.addCertificates(recorded.scanId, chosen);
        return recorded;
      },
    );
  }

  addPrepare(prepare: NewPrepare): number {
    return Number(
      this.stmts.insertPrepare.run({ ...prepare, certificates: JSON.stringify(prepare.certificates) }).lastInsertRowid,
    );
  }

  awaiting(id: number): AwaitingPrepare | undefined {
    const row = this.stmts.awaiting.get(id);
    return row === undefined ? undefined : AwaitingRow.parse(row);
  }

  /**
   * Certificates of this order in a verify not yet answered: Douyin still lists them as unused,
   * and choosing them again would verify them twice.
   */
  pendingCertificates(orderId: string): Set<string> {
    return new Set((this.stmts.pending.all(orderId) as { certificate_id: string }[]).map((r) => r.certificate_id));
  }

  /**
   * The staff's count: scan, verify request and certificates commit together, or none does. A
   * prepare not stored yet (one certificate, verified at once) is stored in the same commit.
   */
  confirm(
    prepare: number | NewPrepare,
    scan: NewScan,
    item: NewOutboxItem,
    chosen: readonly PreparedCertificate[],
  ): { scanId: number; outboxId: number | null } | undefined {
    return this.confirmTx(prepare, scan, item, chosen);
  }

  private addCertificates(scanId: number, chosen: readonly PreparedCertificate[]): void {
    for (const c of chosen) this.stmts.insertCertificate.run({ ...c, scanId });
  }

  /**
   * What an offline-admitted coupon's later prepare chose: its scan gains the order, product,
   * people and amount (a conflict when fewer certificates were unused than people admitted), and
   * the certificates to verify. Inside that prepare attempt's transaction.
   */
  offlinePrepared(scanId: number, step: Extract<PrepareStep, { kind: 'prepared' }>): void {
    const amountFen = step.chosen.reduce((sum, c) => sum + c.amountFen, 0);
    const conflict = step.shortfall ? { reason: 'used_elsewhere' as const, douyinMessage: step.shortfall } : undefined;
    this.scans.couponPrepared(
      scanId,
      { orderId: step.orderId, projectName: step.title || null, people: step.chosen.length, amountFen },
      conflict,
    );
    this.addCertificates(scanId, step.chosen);
  }

  /** Douyin's verify_id per certificate, which an undo needs; inside the attempt's transaction. */
  certificatesVerified(scanId: number, certificates: readonly VerifiedCertificate[], at: number): void {
    for (const c of certificates) this.stmts.certificateVerified.run({ ...c, scanId, at });
  }

  /** An undo's certificates, undone at Douyin; inside the undo attempt's transaction. */
  certificatesUndone(undoOutboxId: number, certificateIds: readonly string[], at: number): void {
    for (const certificateId of certificateIds) this.stmts.certificateUndone.run({ outboxId: undoOutboxId, certificateId, at });
  }

  /** Esc at the confirm step: the scan is recorded as cancelled, nothing is sent. */
  cancel(prepareId: number, scan: NewScan): number | undefined {
    return this.db.transaction(() => {
      const prepare = this.awaiting(prepareId);
      if (!prepare) return undefined;
      const { scanId } = this.scans.record(scan);
      this.stmts.settle.run({ id: prepareId, state: 'cancelled', scanId });
      return scanId;
    })();
  }
}
