import { z } from 'zod';
import { NewPin, ShiftReport } from './supervisor';

/** A 工号: typed, or read from a badge by a keyboard wedge (letters, digits, '-' and '_'). */
export const StaffNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/);
export const OperatorRole = z.enum(['staff', 'supervisor']);
export type OperatorRole = z.infer<typeof OperatorRole>;

export const NewOperator = z
  .object({ staffNo: StaffNo, name: z.string().trim().min(1).max(40), role: OperatorRole, pin: NewPin })
  .strict();
export type NewOperator = z.infer<typeof NewOperator>;

export const OperatorView = z.object({
  staffNo: z.string(),
  name: z.string(),
  role: OperatorRole,
  disabled: z.boolean(),
  lockedUntil: z.number().int().nullable(),
});
export type OperatorView = z.infer<typeof OperatorView>;

/** Who is at the window: nobody, someone scanning, or someone on a break (screen locked). */
export const SignInState = z.object({
  required: z.boolean(),
  operator: OperatorView.pick({ staffNo: true, name: true, role: true }).nullable(),
  shiftId: z.number().int().nullable(),
  openedAt: z.number().int().nullable(),
  onBreak: z.boolean(),
});
export type SignInState = z.infer<typeof SignInState>;

/** What a sign-in shows: who is at the window now, and what the shift before handed over. */
export const SignedIn = z.object({
  state: SignInState,
  handedOver: ShiftReport.nullable(),
  queued: z.number().int(),
  needsAttention: z.number().int(),
});
export type SignedIn = z.infer<typeof SignedIn>;

/** A business day (Beijing time) at a glance: entries per hour with the peak, and three breakdowns. */
export const DayView = z.object({
  date: z.string(),
  /** 24 counts of entries (scans that let a visitor in: verified, or accepted offline and pending). */
  entriesByHour: z.array(z.number().int()).length(24),
  /** The hour with the most entries (the earliest on a tie), or null on a day without any. */
  peakHour: z.number().int().min(0).max(23).nullable(),
  total: z.number().int(),
  byOutcome: z.record(z.string(), z.number().int()),
  byProduct: z.array(
    z.object({
      product: z.string(),
      total: z.number().int(),
      entries: z.number().int(),
      people: z.number().int(),
      amountFen: z.number().int(),
    }),
  ),
  /** `name` is the operator's as the operators table has it now; '' for a 工号 it does not know. */
  byOperator: z.array(
    z.object({
      operatorNo: z.string(),
      name: z.string(),
      total: z.number().int(),
      entries: z.number().int(),
      people: z.number().int(),
    }),
  ),
  /** People let in (a coupon's certificate count, one per trip ticket), and verified coupons' takings in fen. */
  people: z.number().int(),
  amountFen: z.number().int(),
  /** Accepted offline at the window; of those, the ones Douyin has not answered yet. */
  offlineAccepted: z.number().int(),
  offlineUnsynced: z.number().int(),
});
export type DayView = z.infer<typeof DayView>;
export const BusinessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
