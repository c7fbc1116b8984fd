import { InMemoryReadingRepository } from '../../../adapters/memory/in-memory-reading-repository.js';
import { InMemorySubscriptionRepository } from '../../../adapters/memory/in-memory-subscription-repository.js';
import { InMemoryVenueRepository } from '../../../adapters/memory/in-memory-venue-repository.js';
import { repositoryContract } from '../../contracts/repositories.js';
import { subscriptionContract } from '../../contracts/subscriptions.js';

repositoryContract('in-memory', async () => {
  const readings = new InMemoryReadingRepository();
  return { venues: new InMemoryVenueRepository(), readings, twin: readings };
});

subscriptionContract('in-memory', async () => {
  const subscriptions = new InMemorySubscriptionRepository();
  return { subscriptions, twin: subscriptions };
});
