import type { Logger } from 'pino';
import { PollInProgressError } from '../../domain/errors.js';
import type { PollSummary } from '../../domain/poll-summary.js';
import type { PollMetrics } from './poll-metrics.js';

export interface SchedulablePoll {
  readonly isRunning: boolean;
  execute(): Promise<PollSummary>;
}

/** A poll that counts and logs its outcome once, however it was started (timer or admin route). */
export class MeasuredPoll implements SchedulablePoll {
  constructor(
    private readonly poll: SchedulablePoll,
    private readonly metrics: PollMetrics,
    private readonly logger: Logger,
  ) {}

  get isRunning(): boolean {
    return this.poll.isRunning;
  }

  async execute(): Promise<PollSummary> {
    try {
      const summary = await this.poll.execute();
      this.metrics.completed(summary);
      this.logger.info({ poll: summaryForLog(summary) }, 'poll completed');
      return summary;
    } catch (error) {
      if (error instanceof PollInProgressError) {
        this.metrics.skipped(error.staleLease ? 'stale-lease' : 'running');
        // A dead poller's lease costs polls until it expires: worth a warning, unlike an overlap.
        if (error.staleLease) this.logger.warn({ reason: 'stale-lease' }, `poll skipped: ${error.message}`);
        else this.logger.info({ reason: 'running' }, `poll skipped: ${error.message}`);
        throw error;
      }
      this.metrics.failed();
      this.logger.error({ err: error }, `poll failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }
}

/** The summary with at most ten rejection reasons, so one bad upstream reply cannot flood the log. */
export function summaryForLog(summary: PollSummary): object {
  const { rejections, ...rest } = summary;
  return { ...rest, rejections: rejections.slice(0, 10), rejectionsOmitted: Math.max(0, rejections.length - 10) };
}
