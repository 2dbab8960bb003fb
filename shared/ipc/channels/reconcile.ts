import { BusinessDay, Reconciliation } from '../../domain/reconciliation';
import { supervisorOnly, type ChannelSpec } from './common';

export const reconcileChannels = {
  /** Reads Douyin's verify records for the POI and day (default: today) and stores the differences. */
  'supervisor.reconcile.run': supervisorOnly({ day: BusinessDay.optional() }, Reconciliation),
  /** The last stored result, from the supervisor or the daily job; null before the first. */
  'supervisor.reconcile.last': supervisorOnly({}, Reconciliation.nullable()),
} satisfies Record<string, ChannelSpec>;
