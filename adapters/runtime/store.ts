import type { Logger } from 'pino';
import type { ReadingRepository } from '../../application/ports/reading-repository.js';
import type { VenueRepository } from '../../application/ports/venue-repository.js';
import { InMemoryReadingRepository } from '../memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../memory/in-memory-venue-repository.js';
import type { Config } from './config.js';

export interface Store {
  readonly venues: VenueRepository;
  readonly readings: ReadingRepository;
  /** Where the data lives, for the start-up log line. */
  readonly description: string;
  close(): Promise<void>;
}

/** Until the DynamoDB adapter lands, data lives in process memory and is gone on restart. */
export async function openStore(_config: Config, _logger: Logger): Promise<Store> {
  return {
    venues: new InMemoryVenueRepository(),
    readings: new InMemoryReadingRepository(),
    description: 'in-memory store (not kept across restarts)',
    close: async () => {},
  };
}
