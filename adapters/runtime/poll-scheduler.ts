import type { Logger } from 'pino';
import type { PollSummary } from '../../domain/poll-summary.js';
import type { PollMetrics } from './poll-metrics.js';

export interface SchedulablePoll {
  readonly isRunning: boolean;
  execute(): Promise<PollSummary>;
}

/**
 * Polls at start-up and then every interval, one poll at a time: a tick that finds a poll
 * still running is skipped and counted rather than queued, so a slow upstream cannot pile up work.
 */
export class PollScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;

  constructor(
    private readonly poll: SchedulablePoll,
    private readonly intervalSeconds: number,
    private readonly metrics: PollMetrics,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.intervalSeconds === 0 || this.timer !== null) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
  }

  /** Stops ticking and waits for a poll in flight, so nothing is cut half-way. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }

  private tick(): void {
    if (this.poll.isRunning) {
      this.metrics.skipped();
      this.logger.warn('poll skipped: the previous one is still running');
      return;
    }
    this.current = this.runOnce().finally(() => {
      this.current = null;
    });
  }

  private async runOnce(): Promise<void> {
    try {
      const summary = await this.poll.execute();
      this.metrics.completed(summary);
      this.logger.info({ poll: summaryForLog(summary) }, 'poll completed');
    } catch (error) {
      this.metrics.failed();
      this.logger.error({ err: error }, `poll failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export function summaryForLog(summary: PollSummary): object {
  const { rejections, ...rest } = summary;
  return { ...rest, rejections: rejections.slice(0, 10), rejectionsOmitted: Math.max(0, rejections.length - 10) };
}
