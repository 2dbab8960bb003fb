import { z } from 'zod';
import type { SignedIn, SignInState } from '../../../shared/domain/operators';
import { ShiftReport } from '../../../shared/domain/supervisor';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import type { SettingsStore } from '../settings/store';
import type { AuditLog } from '../supervisor/audit-log';
import type { ShiftBook } from '../supervisor/shift-book';
import type { Operator, OperatorBook } from './operator-book';

type CloseKind = 'sign_out' | 'handover' | 'crash';
const OpenShift = z.object({
  id: z.number().int(),
  opened_at: z.number().int(),
  staff_no: z.string(),
  name: z.string(),
  role: z.enum(['staff', 'supervisor']),
});
type OpenShift = z.infer<typeof OpenShift>;

export interface SignInDeskDeps {
  db: Db;
  operators: OperatorBook;
  shifts: ShiftBook;
  settings: SettingsStore;
  audit: AuditLog;
  now: () => number;
  /** What is still in the queue, for the next operator to see at sign-in. */
  queueHealth: () => { queued: number; needsAttention: number };
}

/** Who a scan is recorded for: the signed-in operator and their shift, or the window's default. */
export type ScanOperator = { operatorNo: string; shiftId: number | null };

/**
 * Who is at the window. A shift is a row on disk from sign-in to handover or sign-out, so a crash
 * cannot lose one: a shift still open at start was left by a crash and is closed then, marked so.
 * A break only locks the screen (in memory: a restart ends the shift anyway).
 */
export class SignInDesk {
  private onBreak = false;
  private readonly stmts;

  constructor(private readonly deps: SignInDeskDeps) {
    const { db } = deps;
    this.stmts = {
      open: db.prepare(`SELECT s.id, s.opened_at, o.staff_no, o.name, o.role FROM shifts s JOIN operators o ON o.id = s.operator_id
        WHERE s.closed_at IS NULL`),
      insert: db.prepare('INSERT INTO shifts (operator_id, window_name, opened_at) VALUES (?, ?, ?)'),
      close: db.prepare(
        'UPDATE shifts SET closed_at = @at, close_kind = @kind, report = @report WHERE id = @id AND closed_at IS NULL',
      ),
      lastClosed: db.prepare('SELECT report FROM shifts WHERE closed_at IS NOT NULL ORDER BY closed_at DESC, id DESC LIMIT 1'),
    };
  }

  /** At start: the shift a crash or power cut left open is closed with its figures, marked 'crash'. */
  closeCrashed(): ShiftReport | null {
    const open = this.openShift();
    if (!open) return null;
    const report = this.close(open, 'crash');
    this.deps.audit.recordAs(this.actorOf(open.staff_no), 'shift_closed_after_crash', `shift ${open.id}`);
    return report;
  }

  state(): SignInState {
    const open = this.openShift();
    return {
      required: this.deps.settings.get().signInRequired,
      operator: open ? { staffNo: open.staff_no, name: open.name, role: open.role } : null,
      shiftId: open?.id ?? null,
      openedAt: open?.opened_at ?? null,
      onBreak: open !== undefined && this.onBreak,
    };
  }

  /**
   * Opens the operator's shift, or resumes it (after a break) when it is already theirs. While
   * someone else's shift is open, the window must be handed over first.
   */
  async signIn(staffNo: string, pin: string): Promise<SignedIn> {
    const open = this.openShift();
    if (open && open.staff_no !== staffNo) {
      throw new RouteError('conflict', `the shift of ${open.staff_no} is still open; hand over first`, 'op.error.shiftOpen');
    }
    const operator = await this.authenticate(staffNo, pin);
    const handedOver = open ? null : this.lastHandedOver();
    if (open) {
      this.onBreak = false;
      this.deps.audit.recordAs(this.actorOf(staffNo), 'break_ended', `shift ${open.id}`);
    } else {
      this.openFor(operator);
    }
    const { queued, needsAttention } = this.deps.queueHealth();
    return { state: this.state(), handedOver, queued, needsAttention };
  }

  lockForBreak(): SignInState {
    const open = this.requireOpen();
    this.onBreak = true;
    this.deps.audit.recordAs(this.actorOf(open.staff_no), 'break_started', `shift ${open.id}`);
    return this.state();
  }

  /** Handover or sign-out: the shift's figures are stored as they stand and returned to print. */
  end(kind: 'handover' | 'sign_out'): ShiftReport {
    const open = this.requireOpen();
    if (this.onBreak) throw new RouteError('locked', 'sign in again to end the shift', 'op.error.onBreak');
    const report = this.close(open, kind);
    this.deps.audit.recordAs(
      this.actorOf(open.staff_no),
      kind === 'handover' ? 'shift_handed_over' : 'shift_signed_out',
      `shift ${open.id}`,
    );
    return report;
  }

  /**
   * Who is scanning, for the scan path and for dispatch's check of every `operator` channel (one
   * rule for both). Throws while the screen is locked for a break, whatever the policy (a locked
   * screen is locked), and when scanning needs a sign-in and nobody has signed in.
   */
  scanOperator(): ScanOperator {
    const open = this.openShift();
    const { signInRequired, defaultOperatorNo } = this.deps.settings.get();
    if (open && this.onBreak) throw new RouteError('unauthorized', 'the window is locked for a break', 'op.error.breakLocked');
    if (open) return { operatorNo: open.staff_no, shiftId: open.id };
    if (signInRequired) throw new RouteError('unauthorized', 'sign in to scan', 'op.error.signInFirst');
    return { operatorNo: defaultOperatorNo ?? '', shiftId: null };
  }

  /** The 工号 whose own scans the screen lists: the operator at work, or null without sign-in. */
  operatorAtWork(): string | null {
    const open = this.openShift();
    return open && !this.onBreak ? open.staff_no : null;
  }

  private async authenticate(staffNo: string, pin: string): Promise<Operator> {
    try {
      return await this.deps.operators.authenticate(staffNo, pin);
    } catch (error) {
      if (error instanceof RouteError) this.deps.audit.recordAs(this.actorOf(staffNo), 'sign_in_failed', error.code);
      throw error;
    }
  }

  private openFor(operator: Operator): void {
    const { windowName } = this.deps.settings.get();
    // The unique index on open shifts decides a race between two sign-ins: the loser gets a conflict.
    try {
      this.stmts.insert.run(operator.id, windowName, this.deps.now());
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      throw new RouteError('conflict', 'another shift was opened meanwhile', 'op.error.shiftOpen');
    }
    this.onBreak = false;
    this.deps.audit.recordAs(this.actorOf(operator.staffNo), 'shift_opened');
  }

  private close(open: OpenShift, kind: CloseKind): ShiftReport {
    const { settings, shifts, now, db } = this.deps;
    const place = { windowName: settings.get().windowName, poiId: settings.get().poiId ?? null };
    return db.transaction(() => {
      const at = Math.max(now(), open.opened_at);
      const shift = { id: open.id, operatorNo: open.staff_no, operatorName: open.name, closeKind: kind };
      const report = shifts.ofShift(shift, open.opened_at, at, place);
      this.stmts.close.run({ id: open.id, at, kind, report: JSON.stringify(report) });
      this.onBreak = false;
      return report;
    })();
  }

  private lastHandedOver(): ShiftReport | null {
    const row = this.stmts.lastClosed.get() as { report: string } | undefined;
    return row === undefined ? null : ShiftReport.parse(JSON.parse(row.report));
  }

  private requireOpen(): OpenShift {
    const open = this.openShift();
    if (!open) throw new RouteError('not_found', 'nobody is signed in', 'op.error.notSignedIn');
    return open;
  }

  private openShift(): OpenShift | undefined {
    const raw = this.stmts.open.get();
    return raw === undefined ? undefined : OpenShift.parse(raw);
  }

  private actorOf(staffNo: string): string {
    return `${staffNo}@${this.deps.settings.get().windowName}`;
  }
}
