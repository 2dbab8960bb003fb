import type { Migration } from '../migrate';
import { m0001Initial } from './0001_initial';
import { m0002VoucherIndex } from './0002_voucher_index';
import { m0003Supervisor } from './0003_supervisor';
import { m0004DatabaseRecoveries } from './0004_database_recoveries';
import { m0006Operators } from './0006_operators';

// MERGE: number 5 belongs to the coupons branch; this empty stand-in only keeps the versions
// contiguous on the operators branch and is replaced by m0005 when the branches meet.
const m0005Reserved: Migration = { version: 5, name: '0005_reserved', up: () => undefined };

/** In order; append only. Each migration has its own test in test/integration/db. */
export const migrations: readonly Migration[] = [
  m0001Initial,
  m0002VoucherIndex,
  m0003Supervisor,
  m0004DatabaseRecoveries,
  m0005Reserved,
  m0006Operators,
];
