import type { Batch, CrowdSource } from '../../application/ports/crowd-source.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { UpstreamError } from '../../domain/errors.js';
import type { Venue } from '../../domain/venue.js';

/** A crowd source that answers what a test sets, or fails the way a test asks. */
export class FixedCrowdSource implements CrowdSource {
  venues: Batch<Venue> = { items: [], rejected: [] };
  readings: Batch<CrowdReading> = { items: [], rejected: [] };
  failure: string | null = null;

  async fetchVenues(): Promise<Batch<Venue>> {
    if (this.failure !== null) throw new UpstreamError(this.failure);
    return this.venues;
  }

  async fetchCrowdLevels(): Promise<Batch<CrowdReading>> {
    if (this.failure !== null) throw new UpstreamError(this.failure);
    return this.readings;
  }
}
