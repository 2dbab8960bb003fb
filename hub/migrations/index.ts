import { migration0001 } from './0001_initial';

export interface HubMigration {
  id: number;
  name: string;
  sql: string;
}

/** In order; a migration never changes once released. */
export const hubMigrations: readonly HubMigration[] = [migration0001];
