import { InMemoryReadingRepository } from '../../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../../adapters/memory/in-memory-venue-repository.js';
import { repositoryContract } from '../../contracts/repositories.js';

repositoryContract('in-memory', async () => {
  const readings = new InMemoryReadingRepository();
  return { venues: new InMemoryVenueRepository(), readings, twin: readings };
});
