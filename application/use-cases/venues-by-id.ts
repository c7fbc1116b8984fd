import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';
import type { VenueRepository } from '../ports/venue-repository.js';

export async function venuesById(venues: VenueRepository): Promise<Map<VenueId, Venue>> {
  return new Map((await venues.all()).map((venue) => [venue.id, venue]));
}
