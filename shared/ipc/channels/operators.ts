import { z } from 'zod';
import { BusinessDay, DayView, NewOperator, OperatorView, StaffNo } from '../../domain/operators';
import { NewPin } from '../../domain/supervisor';
import { done, supervisorOnly, type ChannelSpec } from './common';

/** Operators (issue 15): a supervisor adds them, resets their PINs and disables them; all audited. */
export const operatorChannels = {
  'operators.list': supervisorOnly({}, z.array(OperatorView)),
  'operators.add': supervisorOnly({ operator: NewOperator }, OperatorView),
  'operators.resetPin': supervisorOnly({ staffNo: StaffNo, pin: NewPin }, done),
  'operators.setDisabled': supervisorOnly({ staffNo: StaffNo, disabled: z.boolean() }, done),
  /** A business day (Beijing time): entries per hour with the peak, by product, operator and outcome. */
  'supervisor.dayView': supervisorOnly({ date: BusinessDay }, DayView),
} satisfies Record<string, ChannelSpec>;
