import { pino } from 'pino';
import { systemClock, type Clock } from '../../application/ports/clock.js';
import type { CrowdSource } from '../../application/ports/crowd-source.js';
import type { EventOutbox } from '../../application/ports/event-outbox.js';
import type { EventPublisher } from '../../application/ports/event-publisher.js';
import type { PollLease } from '../../application/ports/poll-lease.js';
import type { ReadingRepository } from '../../application/ports/reading-repository.js';
import type { SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import type { VenueRepository } from '../../application/ports/venue-repository.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import type { DynamoTable } from '../../adapters/dynamodb/dynamo-table.js';
import {
  clockModule,
  composeService,
  dynamoStoreOn,
  fixedUpstreamModule,
  publisherModule,
  storeOf,
} from '../../adapters/runtime/composition-root.js';
import { loadConfig } from '../../adapters/runtime/config.js';

interface PollParts {
  readonly source: CrowdSource;
  /** The store's adapters, or a DynamoDB table to run the DynamoDB adapters on. */
  readonly store:
    | {
        venues: VenueRepository;
        readings: ReadingRepository;
        outbox: EventOutbox;
        lease: PollLease;
        subscriptions?: SubscriptionRepository;
      }
    | DynamoTable;
  readonly publisher?: EventPublisher;
  readonly clock?: Clock;
}

/**
 * The poll as the composition root wires it, over the parts a test chooses: each call is one
 * process (its own lease owner), so several calls over one store are processes sharing it.
 */
export function pollUpstreamOf(parts: PollParts): Pick<PollUpstream, 'execute'> {
  const container = composeService(loadConfig({ POLL_INTERVAL_SECONDS: '0' }), pino({ level: 'silent' }), {
    store: 'client' in parts.store ? dynamoStoreOn(parts.store) : storeOf(parts.store),
    upstream: fixedUpstreamModule(parts.source),
    events: publisherModule(parts.publisher ?? { publish: async () => {} }),
    clock: clockModule(parts.clock ?? systemClock),
  });
  // Some of what the poll needs is built asynchronously; asked for once, so one instance and one lease owner.
  const poll = container.getAsync(PollUpstream);
  return { execute: async () => (await poll).execute() };
}
