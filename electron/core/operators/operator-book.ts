import { z } from 'zod';
import type { NewOperator, OperatorRole, OperatorView } from '../../../shared/domain/operators';
import { RouteError } from '../../../shared/ipc/result';
import type { Db } from '../db/connection';
import { FIRST_SUPERVISOR_NO } from '../db/migrations/0006_operators';
import type { PinVault } from '../supervisor/pin-vault';

const OperatorRow = z.object({
  id: z.number().int(),
  staff_no: z.string(),
  name: z.string(),
  role: z.enum(['staff', 'supervisor']),
  disabled: z.number().int(),
});
export type Operator = { id: number; staffNo: string; name: string; role: OperatorRole; disabled: boolean };

const wrongSignIn = () => new RouteError('unauthorized', 'wrong 工号 or PIN', 'op.error.wrongSignIn');

/**
 * The people of this window: 工号, name, role and PIN (through the PIN vault, whose lockout is
 * per operator). Nobody is deleted, so every scan and audit line keeps naming a real person;
 * a supervisor disables instead.
 */
export class OperatorBook {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly pins: PinVault,
    private readonly now: () => number,
  ) {
    const columns = 'id, staff_no, name, role, disabled';
    this.stmts = {
      all: db.prepare(`SELECT ${columns} FROM operators ORDER BY staff_no`),
      byNo: db.prepare(`SELECT ${columns} FROM operators WHERE staff_no = ?`),
      firstSupervisor: db.prepare(
        `SELECT ${columns} FROM operators WHERE role = 'supervisor' AND disabled = 0 ORDER BY id LIMIT 1`,
      ),
      anySupervisor: db.prepare(`SELECT EXISTS (SELECT 1 FROM operators WHERE role = 'supervisor') AS yes`),
      insert: db.prepare(`INSERT INTO operators (staff_no, name, role, hash, salt, params, created_at, updated_at)
        VALUES (@staffNo, @name, @role, @hash, @salt, @params, @now, @now) ON CONFLICT (staff_no) DO NOTHING`),
      // Decided by one statement: of two first-run calls exactly one finds no supervisor.
      insertFirst: db.prepare(`INSERT INTO operators (staff_no, name, role, hash, salt, params, created_at, updated_at)
        SELECT @staffNo, @name, 'supervisor', @hash, @salt, @params, @now, @now
        WHERE NOT EXISTS (SELECT 1 FROM operators WHERE role = 'supervisor')`),
      setPin: db.prepare(`UPDATE operators SET hash = @hash, salt = @salt, params = @params, failed = 0, locked_until = NULL,
        updated_at = @now WHERE staff_no = @staffNo`),
      setDisabled: db.prepare(`UPDATE operators SET disabled = @disabled, updated_at = @now WHERE staff_no = @staffNo`),
      enabledSupervisors: db.prepare(`SELECT COUNT(*) AS n FROM operators WHERE role = 'supervisor' AND disabled = 0`),
    };
  }

  list(): OperatorView[] {
    return this.stmts.all.all().map((raw) => {
      const op = toOperator(raw);
      return {
        staffNo: op.staffNo,
        name: op.name,
        role: op.role,
        disabled: op.disabled,
        lockedUntil: this.pins.lockedUntil(op.id),
      };
    });
  }

  find(staffNo: string): Operator | undefined {
    const raw = this.stmts.byNo.get(staffNo);
    return raw === undefined ? undefined : toOperator(raw);
  }

  /** The supervisor a PIN without 工号 unlocks (the one PIN of earlier versions became this one). */
  firstSupervisor(): Operator | undefined {
    const raw = this.stmts.firstSupervisor.get();
    return raw === undefined ? undefined : toOperator(raw);
  }

  hasSupervisor(): boolean {
    return (this.stmts.anySupervisor.get() as { yes: number }).yes === 1;
  }

  /** First run only: creates the first supervisor, never a second one beside it. */
  async addFirstSupervisor(pin: string, staffNo = FIRST_SUPERVISOR_NO, name = '主管'): Promise<Operator> {
    const exists = () => new RouteError('conflict', 'a supervisor PIN is already set', 'sup.error.pinExists');
    if (this.hasSupervisor()) throw exists();
    const done = this.stmts.insertFirst.run({ staffNo, name, ...(await this.pins.hash(pin)), now: this.now() });
    if (done.changes !== 1) throw exists();
    return this.find(staffNo)!;
  }

  async add(operator: NewOperator): Promise<Operator> {
    const { pin, ...rest } = operator;
    const done = this.stmts.insert.run({ ...rest, ...(await this.pins.hash(pin)), now: this.now() });
    if (done.changes !== 1) throw new RouteError('conflict', `工号 ${operator.staffNo} exists`, 'op.error.exists');
    return this.find(operator.staffNo)!;
  }

  /** A new PIN also ends the operator's lockout: the supervisor has seen who asked. */
  async resetPin(staffNo: string, pin: string): Promise<void> {
    const done = this.stmts.setPin.run({ staffNo, ...(await this.pins.hash(pin)), now: this.now() });
    if (done.changes !== 1) throw unknown(staffNo);
  }

  /** The last supervisor who can sign in is never disabled: nobody could manage the window after. */
  setDisabled(staffNo: string, disabled: boolean): void {
    this.db.transaction(() => {
      const op = this.find(staffNo);
      if (!op) throw unknown(staffNo);
      const supervisors = (this.stmts.enabledSupervisors.get() as { n: number }).n;
      if (disabled && op.role === 'supervisor' && !op.disabled && supervisors <= 1) {
        throw new RouteError('conflict', 'the last supervisor cannot be disabled', 'op.error.lastSupervisor');
      }
      this.stmts.setDisabled.run({ staffNo, disabled: disabled ? 1 : 0, now: this.now() });
    })();
  }

  /**
   * The operator whose 工号 and PIN these are, enabled and (if asked) a supervisor. An unknown or
   * disabled 工号 gets the same answer as a wrong PIN, so the screen does not list who exists.
   */
  async authenticate(staffNo: string | undefined, pin: string, role?: OperatorRole): Promise<Operator> {
    const op = staffNo === undefined ? this.firstSupervisor() : this.find(staffNo);
    if (!op || op.disabled || (role === 'supervisor' && op.role !== 'supervisor')) {
      if (staffNo === undefined) throw new RouteError('not_found', 'no supervisor PIN is set', 'sup.error.noPin');
      throw wrongSignIn();
    }
    await this.pins.verify(op.id, pin);
    return op;
  }
}

function toOperator(raw: unknown): Operator {
  const row = OperatorRow.parse(raw);
  return { id: row.id, staffNo: row.staff_no, name: row.name, role: row.role, disabled: row.disabled === 1 };
}

function unknown(staffNo: string): RouteError {
  return new RouteError('not_found', `no operator ${staffNo}`, 'op.error.unknown');
}
