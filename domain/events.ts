import type { Band } from './band.js';
import type { CrowdReading } from './crowd-reading.js';
import type { PollSummary } from './poll-summary.js';
import type { Venue } from './venue.js';
import type { VenueId } from './venue-id.js';

/** The facts a poll establishes; adapters deliver them to subscribers. */
export type DomainEvent = ReadingRecorded | BandChanged | VenueAppeared | VenueChanged | VenueVanished | PollCompleted | PollFailed;

export interface ReadingRecorded {
  readonly type: 'ReadingRecorded';
  readonly reading: CrowdReading;
}

export interface BandChanged {
  readonly type: 'BandChanged';
  readonly venueId: VenueId;
  readonly previousBand: Band;
  readonly band: Band;
  readonly observedAt: Date;
}

/**
 * When the poll that noticed a venue event read the facility list. A venue can vanish,
 * return and vanish again with the very same details; this time tells those facts apart.
 */
interface DetectedInPoll {
  readonly detectedAt: Date;
}

export interface VenueAppeared extends DetectedInPoll {
  readonly type: 'VenueAppeared';
  readonly venue: Venue;
}

export interface VenueChanged extends DetectedInPoll {
  readonly type: 'VenueChanged';
  readonly previous: Venue;
  readonly venue: Venue;
}

export interface VenueVanished extends DetectedInPoll {
  readonly type: 'VenueVanished';
  readonly venue: Venue;
}

export interface PollCompleted {
  readonly type: 'PollCompleted';
  readonly summary: PollSummary;
}

export interface PollFailed {
  readonly type: 'PollFailed';
  readonly startedAt: Date;
  readonly failedAt: Date;
  readonly reason: string;
}
