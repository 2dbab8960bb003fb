import { migration0001 } from './0001_initial';
import { migration0002 } from './0002_history';
import { migration0003 } from './0003_vouchers';
import { migration0004 } from './0004_releases';

export interface HubMigration {
  id: number;
  name: string;
  sql: string;
}

/** In order; a migration never changes once released. */
export const hubMigrations: readonly HubMigration[] = [migration0001, migration0002, migration0003, migration0004];
