import { createHash } from 'node:crypto';
import type {
  BandChanged,
  DomainEvent,
  PollCompleted,
  PollFailed,
  ReadingRecorded,
  VenueAppeared,
  VenueChanged,
  VenueVanished,
} from '../../domain/events.js';
import type { Venue } from '../../domain/venue.js';

/** Every event this service publishes carries this source; the bus's archive and log rules match on it. */
export const EVENT_SOURCE = 'spaceout.crowd';

/** Bumped only for a breaking change to a detail; consumers can route on it. */
export const SCHEMA_VERSION = 1;

/** The EventBridge detail-type of each domain event, in the words EventBridge users expect. */
export const DETAIL_TYPES = {
  ReadingRecorded: 'Reading Recorded',
  BandChanged: 'Band Changed',
  VenueAppeared: 'Venue Appeared',
  VenueChanged: 'Venue Changed',
  VenueVanished: 'Venue Vanished',
  PollCompleted: 'Poll Completed',
  PollFailed: 'Poll Failed',
} as const satisfies Record<DomainEvent['type'], string>;

export type DetailType = (typeof DETAIL_TYPES)[DomainEvent['type']];

/** Poll summaries and failures carry free text; these caps keep every event far below PutEvents' limits. */
const MAX_REJECTION_SAMPLES = 10;
const MAX_TEXT_LENGTH = 300;

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface EventDetail {
  readonly eventId: string;
  readonly schemaVersion: number;
  readonly [field: string]: JsonValue;
}

/** One domain event as it goes on the wire: what PutEvents needs, plus the id consumers deduplicate on. */
export interface EventEnvelope {
  /** Derived from the fact the event states: the same fact published twice has the same id. Also `detail.eventId`. */
  readonly id: string;
  readonly source: typeof EVENT_SOURCE;
  readonly detailType: DetailType;
  readonly detail: EventDetail;
  /** ISO-8601 UTC time the fact happened, or for a venue fact when a poll noticed it. */
  readonly time: string;
}

/** The kebab-case name of an event's schema and example in events/, e.g. `reading-recorded`. */
export function catalogName(type: DomainEvent['type']): string {
  return type.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase();
}

export function toEnvelope(event: DomainEvent): EventEnvelope {
  const { id, time, fields } = describe(event);
  return {
    id,
    source: EVENT_SOURCE,
    detailType: DETAIL_TYPES[event.type],
    detail: { eventId: id, schemaVersion: SCHEMA_VERSION, ...fields },
    time,
  };
}

interface Description {
  readonly id: string;
  readonly time: string;
  readonly fields: Record<string, JsonValue>;
}

function describe(event: DomainEvent): Description {
  switch (event.type) {
    case 'ReadingRecorded':
      return readingRecorded(event);
    case 'BandChanged':
      return bandChanged(event);
    case 'VenueAppeared':
    case 'VenueVanished':
    case 'VenueChanged':
      return venueEvent(event);
    case 'PollCompleted':
      return pollCompleted(event);
    case 'PollFailed':
      return pollFailed(event);
  }
}

function readingRecorded({ type, reading }: ReadingRecorded): Description {
  const observedAt = reading.observedAt.toISOString();
  return {
    id: deterministicId(type, reading.venueId, observedAt),
    time: observedAt,
    fields: { venueId: reading.venueId, band: reading.band, trend: reading.trend, observedAt },
  };
}

function bandChanged({ type, venueId, previousBand, band, observedAt }: BandChanged): Description {
  const at = observedAt.toISOString();
  return {
    id: deterministicId(type, venueId, at, String(previousBand), String(band)),
    time: at,
    fields: { venueId, previousBand, band, observedAt: at },
  };
}

/** A venue fact is told apart by the poll that saw it: a venue can vanish twice with the same details. */
function venueEvent(event: VenueAppeared | VenueChanged | VenueVanished): Description {
  const detectedAt = event.detectedAt.toISOString();
  const venue = venueJson(event.venue);
  if (event.type !== 'VenueChanged') {
    return {
      id: deterministicId(event.type, event.venue.id, detectedAt, venueFingerprint(event.venue)),
      time: detectedAt,
      fields: { venue, detectedAt },
    };
  }
  return {
    id: deterministicId(event.type, event.venue.id, detectedAt, venueFingerprint(event.previous), venueFingerprint(event.venue)),
    time: detectedAt,
    fields: { changedFields: changedFields(event.previous, event.venue), venue, previous: venueJson(event.previous), detectedAt },
  };
}

function pollCompleted({ type, summary }: PollCompleted): Description {
  const startedAt = summary.startedAt.toISOString();
  const finishedAt = summary.finishedAt.toISOString();
  return {
    id: deterministicId(type, startedAt),
    time: finishedAt,
    fields: {
      startedAt,
      finishedAt,
      venues: { ...summary.venues },
      readings: { ...summary.readings },
      // The counts say how many were rejected; a few reasons are enough to see what upstream sent.
      rejectionSamples: summary.rejections.slice(0, MAX_REJECTION_SAMPLES).map(capped),
    },
  };
}

function pollFailed({ type, startedAt, failedAt, reason }: PollFailed): Description {
  const started = startedAt.toISOString();
  const failed = failedAt.toISOString();
  return {
    id: deterministicId(type, started),
    time: failed,
    fields: { startedAt: started, failedAt: failed, reason: capped(reason) },
  };
}

function venueJson(venue: Venue): JsonValue {
  return {
    id: venue.id,
    name: venue.name,
    type: venue.type,
    address: venue.address,
    postalCode: venue.postalCode,
    location: { lat: venue.location.lat, lng: venue.location.lng },
    active: venue.active,
  };
}

const VENUE_FIELDS = ['name', 'type', 'address', 'postalCode', 'location', 'active'] as const;

function changedFields(previous: Venue, venue: Venue): JsonValue {
  return VENUE_FIELDS.filter((field) => JSON.stringify(previous[field]) !== JSON.stringify(venue[field]));
}

/** A hash of every field of a venue, in a fixed order, so equal venues hash equally whatever built them. */
function venueFingerprint(venue: Venue): string {
  return sha256(JSON.stringify(venueJson(venue)));
}

function capped(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`;
}

/**
 * A UUID-shaped id (RFC 9562 version 8, "custom") made of the first 122 bits of the SHA-256
 * of the parts; the parts are joined with a separator no venue id or ISO time contains.
 */
export function deterministicId(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\n')).digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x80, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
