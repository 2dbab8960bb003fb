import { AuditEntry } from '../../../shared/domain/supervisor';
import type { Db } from '../db/connection';

/**
 * Who did what, when, in supervisor mode. Append-only: the table's triggers abort any UPDATE or
 * DELETE, so not even a bug here can rewrite it. Details never hold secrets or clear ID numbers.
 */
export class AuditLog {
  private readonly insert;
  private readonly page;

  constructor(
    db: Db,
    private readonly now: () => number,
    private readonly actor: () => string,
  ) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)');
    this.page = db.prepare('SELECT id, at, actor, action, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
  }

  record(action: string, detail = ''): void {
    this.recordAs(this.actor(), action, detail);
  }

  /** For what an operator did at the scan screen (sign-in, break, handover), in their name. */
  recordAs(actor: string, action: string, detail = ''): void {
    this.insert.run(this.now(), actor, action, detail.slice(0, 1000));
  }

  list(before: number | undefined, limit: number): AuditEntry[] {
    return this.page.all(before ?? Number.MAX_SAFE_INTEGER, limit).map((row) => AuditEntry.parse(row));
  }
}
