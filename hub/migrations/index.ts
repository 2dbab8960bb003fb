import { migration0001 } from './0001_initial';
import { migration0002 } from './0002_history';

export interface HubMigration {
  id: number;
  name: string;
  sql: string;
}

/** In order; a migration never changes once released. */
export const hubMigrations: readonly HubMigration[] = [migration0001, migration0002];
