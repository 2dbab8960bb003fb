import { AppStatus } from '../../domain/status';
import { done, none, staff, type ChannelSpec } from './common';

export const appChannels = {
  'app.status': staff(none, AppStatus),
  /** The renderer saw the OS come back online: probe Douyin now instead of at the next backoff. */
  'queue.wake': staff(none, done),
} satisfies Record<string, ChannelSpec>;
