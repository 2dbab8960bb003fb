import { z } from 'zod';
import { done, supervisorOnly, type ChannelSpec } from './common';

export const databaseChannels = {
  /** A supervisor saw the database repair warning; it leaves every screen (audited). */
  'supervisor.database.acknowledge': supervisorOnly({ recoveryId: z.number().int().positive() }, done),
} satisfies Record<string, ChannelSpec>;
