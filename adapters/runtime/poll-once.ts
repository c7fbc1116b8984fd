import { systemClock } from '../../application/ports/clock.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { PollInProgressError } from '../../domain/errors.js';
import { loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { openEventOutlet } from './event-publisher.js';
import { createLogger } from './logger.js';
import { summaryForLog } from './measured-poll.js';
import { openStore } from './store.js';
import { openUpstream } from './upstream.js';

/** `npm run poll-once`: one poll, its summary on stdout, exit 0; a clear line and exit 1 on failure. */
async function pollOnce(): Promise<number> {
  const config = loadConfig(process.env);
  // stdout carries the summary alone, so `npm run poll-once | jq` works.
  const logger = createLogger(config.logLevel, 'stderr');
  const store = await openStore(config, logger);
  const upstream = await openUpstream(config, logger);
  try {
    const container = buildContainer({ crowdSource: upstream.crowdSource, venues: store.venues, readings: store.readings, outbox: store.outbox, lease: store.lease, events: openEventOutlet(config).publisher, clock: systemClock });
    try {
      const summary = await container.get(PollUpstream).execute();
      process.stdout.write(`${JSON.stringify(summaryForLog(summary))}\n`);
    } catch (error) {
      // An overlapping scheduled run is not a failure: the poll it wanted is happening.
      if (!(error instanceof PollInProgressError)) throw error;
      process.stdout.write(`poll skipped: ${error.message}\n`);
      // A dead poller's lease is worth a warning in the logs (and the alarm on missed polls).
      if (error.staleLease) logger.warn({ reason: 'stale-lease' }, `poll skipped: ${error.message}`);
      return 0;
    }
    const undelivered = (await store.outbox.pending()).length;
    if (undelivered > 0) {
      process.stderr.write(`poll-once failed: ${undelivered} events could not be delivered; they stay in the outbox for the next run\n`);
      return 1;
    }
    return 0;
  } finally {
    await upstream.close();
    await store.close();
  }
}

pollOnce().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`poll-once failed: ${message}\n`);
    process.exit(1);
  },
);
