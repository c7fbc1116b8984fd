import type { Logger } from 'pino';
import type { DeliveryRun } from '../../application/use-cases/deliver-webhooks.js';
import type { WebhookMetrics } from './webhook-metrics.js';

export interface DeliveryRunner {
  execute(signal?: AbortSignal): Promise<DeliveryRun>;
}

/**
 * Runs the notifier in the service after each poll, beside the polling rather than in its way:
 * a slow receiver delays its own alerts, never the next poll. One run at a time; a kick during
 * a run asks for one more run after it, which picks up what the new poll queued.
 */
export class WebhookDispatcher {
  private running: Promise<void> | null = null;
  /** Kicks that came while a run was in flight; each one that a run has not seen asks for another run. */
  private kicksDuringRun = 0;
  private readonly stopping = new AbortController();

  constructor(
    private readonly deliveries: DeliveryRunner,
    private readonly metrics: WebhookMetrics,
    private readonly logger: Logger,
  ) {}

  kick(): void {
    if (this.stopping.signal.aborted) return;
    if (this.running !== null) {
      this.kicksDuringRun++;
      return;
    }
    this.running = this.runUntilSettled().finally(() => {
      this.running = null;
    });
  }

  /**
   * Resolves once no run is in flight, nor one asked for during it. A kick starts its run at
   * once, so after a poll has completed this means the notifier has sent what the poll queued.
   */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Stops between attempts and waits for the run in flight; what it did not send stays pending for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async runUntilSettled(): Promise<void> {
    let seen: number;
    do {
      seen = this.kicksDuringRun;
      try {
        logRun(this.logger, await this.deliveries.execute(this.stopping.signal), this.metrics);
      } catch (error) {
        // The deliveries stay pending; the next poll kicks another run.
        this.logger.error({ err: error }, `webhook deliveries failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } while (this.kicksDuringRun !== seen && !this.stopping.signal.aborted);
  }
}

/** Counts a run and logs it when it did anything; a paused subscription is worth a warning. */
export function logRun(logger: Logger, run: DeliveryRun, metrics?: WebhookMetrics): void {
  metrics?.record(run);
  if (run.delivered + run.failed + run.dropped + run.left === 0) return;
  if (run.paused > 0) logger.warn({ webhooks: run }, `webhook deliveries: ${run.paused} subscriptions paused after repeated failures`);
  else logger.info({ webhooks: run }, 'webhook deliveries');
}
