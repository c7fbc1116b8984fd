import type { Logger } from 'pino';
import type { SchedulablePoll } from './measured-poll.js';
import type { PollMetrics } from './poll-metrics.js';

/**
 * Polls at start-up and then every interval, one poll at a time: a tick that finds a poll
 * still running is skipped and counted rather than queued, so a slow upstream cannot pile up work.
 */
export class PollScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;

  constructor(
    /** A MeasuredPoll, which counts and logs each outcome. */
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
      this.metrics.skipped('running');
      this.logger.warn('poll skipped: the previous one is still running');
      return;
    }
    // The outcome was counted and logged by the poll; a failure only waits for the next tick.
    this.current = this.poll
      .execute()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.current = null;
      });
  }
}
