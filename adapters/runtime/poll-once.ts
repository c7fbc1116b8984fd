import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { EVENT_OUTBOX, type EventOutbox } from '../../application/ports/event-outbox.js';
import { DeliverWebhooks } from '../../application/use-cases/deliver-webhooks.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { PollInProgressError } from '../../domain/errors.js';
import { composeService } from './composition-root.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { summaryForLog } from './measured-poll.js';
import { logRun } from './webhook-dispatcher.js';

/**
 * `npm run poll-once`: one poll, its summary on stdout, then the webhook deliveries it (or an
 * earlier run) queued; exit 0, or a clear line and exit 1 on failure.
 */
async function pollOnce(): Promise<number> {
  const config = loadConfig(process.env);
  // stdout carries the summary alone, so `npm run poll-once | jq` works.
  const logger = createLogger(config.logLevel, 'stderr');
  const container = composeService(config, logger);
  try {
    let polled: { readonly code: number } | { readonly error: unknown };
    try {
      polled = { code: await poll(container, logger) };
    } catch (error) {
      polled = { error };
    }
    // Whatever the poll did (a failed one may have relayed alerts), the alerts waiting go out.
    const delivery = await deliver(container, logger);
    const pollFailure = 'error' in polled ? messageOf(polled.error) : null;
    // One line per reason: a store that failed to open fails both, and the poll's line says it.
    if (delivery !== 'delivered' && messageOf(delivery.error) !== pollFailure)
      process.stderr.write(
        `poll-once failed: webhook deliveries could not run (${messageOf(delivery.error)}); they stay pending for the next run\n`,
      );
    if ('error' in polled) throw polled.error;
    return delivery === 'delivered' ? polled.code : 1;
  } finally {
    // The store and the simulator close with the container, also when one of them failed to open.
    await container.unbindAllAsync();
  }
}

async function poll(container: Container, logger: Logger): Promise<number> {
  try {
    const summary = await (await container.getAsync(PollUpstream)).execute();
    process.stdout.write(`${JSON.stringify(summaryForLog(summary))}\n`);
  } catch (error) {
    // An overlapping scheduled run is not a failure: the poll it wanted is happening.
    if (!(error instanceof PollInProgressError)) throw error;
    process.stdout.write(`poll skipped: ${error.message}\n`);
    // A dead poller's lease is worth a warning in the logs (and the alarm on missed polls).
    if (error.staleLease) logger.warn({ reason: 'stale-lease' }, `poll skipped: ${error.message}`);
    return 0;
  }
  const undelivered = (await (await container.getAsync<EventOutbox>(EVENT_OUTBOX)).pending()).length;
  if (undelivered > 0) {
    process.stderr.write(`poll-once failed: ${undelivered} events could not be delivered; they stay in the outbox for the next run\n`);
    return 1;
  }
  return 0;
}

/**
 * The error when the deliveries could not run at all (the store failed); a receiver that fails
 * is its subscription's business, recorded there, and not this run's exit code.
 */
async function deliver(container: Container, logger: Logger): Promise<'delivered' | { readonly error: unknown }> {
  try {
    logRun(logger, await (await container.getAsync(DeliverWebhooks)).execute());
    return 'delivered';
  } catch (error) {
    return { error };
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

pollOnce().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`poll-once failed: ${messageOf(error)}\n`);
    process.exit(1);
  },
);
