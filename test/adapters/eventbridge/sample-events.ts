import type { DomainEvent } from '../../../domain/events.js';
import { aReading, aVenue } from '../../support/builders.js';

const POLL_STARTED_AT = new Date('2020-08-01T05:00:00.000Z');

type EventOfType<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/** One plausible event of every domain event type; the Record makes a new type a compile error here. */
export const SAMPLE_EVENTS: { readonly [T in DomainEvent['type']]: EventOfType<T> } = {
  ReadingRecorded: { type: 'ReadingRecorded', reading: aReading('a1b2c3', '2020-08-01T04:50:00Z', 2, true) },
  BandChanged: { type: 'BandChanged', venueId: 'a1b2c3', previousBand: 1, band: 2, observedAt: new Date('2020-08-01T04:50:00Z') },
  VenueAppeared: { type: 'VenueAppeared', venue: aVenue({ id: 'a1b2c3' }), detectedAt: POLL_STARTED_AT },
  VenueChanged: {
    type: 'VenueChanged',
    previous: aVenue({ id: 'a1b2c3' }),
    venue: aVenue({ id: 'a1b2c3', name: 'Tampines Mall (West Wing)' }),
    detectedAt: POLL_STARTED_AT,
  },
  VenueVanished: { type: 'VenueVanished', venue: aVenue({ id: 'a1b2c3', active: false }), detectedAt: POLL_STARTED_AT },
  PollCompleted: {
    type: 'PollCompleted',
    summary: {
      startedAt: POLL_STARTED_AT,
      finishedAt: new Date('2020-08-01T05:00:01.250Z'),
      venues: { seen: 312, added: 1, updated: 1, deactivated: 0, rejected: 1 },
      readings: { seen: 312, stored: 40, duplicate: 271, rejected: 1, orphan: 0 },
      rejections: [
        'venue 9f00: longitude must be a number from -180 to 180, got "n/a"',
        'reading of 77aa: band must be an integer from 0 to 3, got 7',
      ],
    },
  },
  PollFailed: {
    type: 'PollFailed',
    startedAt: new Date('2020-08-01T05:05:00.000Z'),
    failedAt: new Date('2020-08-01T05:05:10.004Z'),
    reason: 'the facility list is empty; refusing to mark every venue inactive',
  },
};

export const SAMPLE_EVENT_LIST: readonly DomainEvent[] = Object.values(SAMPLE_EVENTS);

/** `count` distinct reading events: one venue, one minute apart. */
export function readingEvents(count: number, venueId = 'v1'): DomainEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'ReadingRecorded' as const,
    reading: aReading(venueId, new Date(Date.UTC(2020, 7, 1, 4, i)).toISOString(), i % 4),
  }));
}
