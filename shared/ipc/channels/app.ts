import { z } from 'zod';
import { AppStatus } from '../../domain/status';
import { done, none } from './common';

export const appChannels = {
  'app.status': { input: none, output: AppStatus },
  /** The renderer saw the OS come back online: probe Douyin now instead of at the next backoff. */
  'queue.wake': { input: none, output: done },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
