import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { Venue } from '../../domain/venue.js';

/** Records that passed validation, and one line per record that did not. */
export interface Batch<T> {
  readonly items: readonly T[];
  readonly rejected: readonly string[];
}

/**
 * For fetching what the upstream knows. Throws UpstreamError when the reply as a whole is
 * unusable (unreachable, HTML, truncated, GraphQL errors, undecryptable); individual bad
 * records go to `rejected` instead.
 */
export interface CrowdSource {
  fetchVenues(): Promise<Batch<Venue>>;
  fetchCrowdLevels(): Promise<Batch<CrowdReading>>;
}

export const CROWD_SOURCE = Symbol.for('CrowdSource');
