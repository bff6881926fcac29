import type { Config } from '../../config';
import type { BacklogLimits } from './room-state';

/** The backlog's caps from the configuration. */
export const backlogLimits = (
  config: Pick<Config, 'messageBacklog' | 'messageBacklogBytes' | 'messageBacklogTotalBytes'>,
): BacklogLimits => ({
  entries: config.messageBacklog,
  bytes: config.messageBacklogBytes,
  totalBytes: config.messageBacklogTotalBytes,
});
