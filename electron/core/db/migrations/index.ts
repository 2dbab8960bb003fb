import type { Migration } from '../migrate';
import { m0001Initial } from './0001_initial';
import { m0002VoucherIndex } from './0002_voucher_index';
import { m0003Supervisor } from './0003_supervisor';
import { m0004DatabaseRecoveries } from './0004_database_recoveries';
import { m0005Coupons } from './0005_coupons';
import { m0006Operators } from './0006_operators';
import { m0007StoredOutcome } from './0007_stored_outcome';
import { m0008CouponUndo } from './0008_coupon_undo';
import { m0009CouponReconciliations } from './0009_coupon_reconciliations';
import { m0010Printing } from './0010_printing';
import { m0011HubReplication } from './0011_hub_replication';
import { m0012OutboxOpenIndex } from './0012_outbox_open_index';
import { m0013DayFiguresIndex } from './0013_day_figures_index';
import { m0014HistoryRanges } from './0014_history_ranges';
import { m0015HubVoucherCursor } from './0015_hub_voucher_cursor';
import { m0016OfflineCoupons } from './0016_offline_coupons';
import { m0017OutboxAttemptTotals } from './0017_outbox_attempt_totals';

/** In order; append only. Each migration has its own test in test/integration/db. */
export const migrations: readonly Migration[] = [
  m0001Initial,
  m0002VoucherIndex,
  m0003Supervisor,
  m0004DatabaseRecoveries,
  m0005Coupons,
  m0006Operators,
  m0007StoredOutcome,
  m0008CouponUndo,
  m0009CouponReconciliations,
  m0010Printing,
  m0011HubReplication,
  m0012OutboxOpenIndex,
  m0013DayFiguresIndex,
  m0014HistoryRanges,
  m0015HubVoucherCursor,
  m0016OfflineCoupons,
  m0017OutboxAttemptTotals,
];
