import 'reflect-metadata';
import { Container } from 'inversify';
import { CLOCK, type Clock } from '../../application/ports/clock.js';
import { CROWD_SOURCE, type CrowdSource } from '../../application/ports/crowd-source.js';
import { EVENT_OUTBOX, type EventOutbox } from '../../application/ports/event-outbox.js';
import { EVENT_PUBLISHER, type EventPublisher } from '../../application/ports/event-publisher.js';
import { POLL_LEASE, type PollLease } from '../../application/ports/poll-lease.js';
import { READING_REPOSITORY, type ReadingRepository } from '../../application/ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../../application/ports/venue-repository.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { VenueProfile } from '../../application/use-cases/venue-profile.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';

/** The driven adapters chosen for this run; the container plugs them into the use cases. */
export interface DrivenAdapters {
  readonly crowdSource: CrowdSource;
  readonly venues: VenueRepository;
  readonly readings: ReadingRepository;
  readonly events: EventPublisher;
  readonly outbox: EventOutbox;
  readonly lease: PollLease;
  readonly clock: Clock;
}

/** The one container of the process. Adapters are built by the caller, which owns their lifecycles. */
export function buildContainer(adapters: DrivenAdapters): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<CrowdSource>(CROWD_SOURCE).toConstantValue(adapters.crowdSource);
  container.bind<VenueRepository>(VENUE_REPOSITORY).toConstantValue(adapters.venues);
  container.bind<ReadingRepository>(READING_REPOSITORY).toConstantValue(adapters.readings);
  container.bind<EventPublisher>(EVENT_PUBLISHER).toConstantValue(adapters.events);
  container.bind<EventOutbox>(EVENT_OUTBOX).toConstantValue(adapters.outbox);
  container.bind<PollLease>(POLL_LEASE).toConstantValue(adapters.lease);
  container.bind<Clock>(CLOCK).toConstantValue(adapters.clock);
  container.bind(PollUpstream).toSelf();
  container.bind(ListVenues).toSelf();
  container.bind(GetVenue).toSelf();
  container.bind(VenueReadings).toSelf();
  container.bind(VenueProfile).toSelf();
  container.bind(LatestCrowdLevels).toSelf();
  container.bind(AverageCrowdLevels).toSelf();
  container.bind(NearbyCrowdLevels).toSelf();
  return container;
}
