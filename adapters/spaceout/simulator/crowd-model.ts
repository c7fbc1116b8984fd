import type { Band } from '../../../domain/band.js';
import { singaporeDayNumber, singaporeDayOf, singaporeHourOf, weekdayOf } from '../../../domain/singapore-calendar.js';
import { hashToUnit } from './random.js';
import type { SimulatedVenue, VenueType } from './venues.js';

const MINUTE_MS = 60_000;

// How busy each type tends to be by Singapore hour (0 to 23) on a weekday, 0..1.
// Wet markets peak early, hawker centres at meals, parks at dawn and dusk, malls and supermarkets in the evening.
// prettier-ignore
const WEEKDAY_PROFILE: Readonly<Record<VenueType, readonly number[]>> = {
  SUPERMARKET:     [.05, .03, .02, .02, .02, .03, .06, .10, .20, .25, .30, .35, .45, .40, .30, .30, .32, .45, .60, .62, .50, .35, .15, .08],
  MALL:            [.02, .02, .02, .02, .02, .02, .02, .03, .05, .10, .20, .30, .50, .48, .40, .38, .42, .48, .60, .62, .50, .30, .10, .03],
  MARKET:          [.02, .02, .02, .02, .03, .10, .40, .60, .65, .55, .45, .35, .30, .15, .06, .04, .04, .04, .03, .03, .02, .02, .02, .02],
  'HAWKER CENTRE': [.05, .03, .02, .02, .02, .04, .10, .30, .40, .30, .25, .50, .75, .60, .25, .20, .20, .40, .65, .70, .50, .30, .15, .08],
  PARK:            [.02, .02, .02, .02, .02, .05, .35, .50, .45, .30, .20, .15, .15, .15, .15, .18, .25, .45, .60, .55, .35, .20, .10, .04],
  'SPORTS CENTRE': [.02, .02, .02, .02, .02, .02, .05, .30, .35, .30, .25, .25, .35, .25, .20, .25, .35, .50, .60, .60, .50, .30, .05, .02],
};

/** Weekends are busier, most of all where families go. */
const WEEKEND_FACTOR: Readonly<Record<VenueType, number>> = {
  SUPERMARKET: 1.25,
  MALL: 1.35,
  MARKET: 1.3,
  'HAWKER CENTRE': 1.15,
  PARK: 1.45,
  'SPORTS CENTRE': 1.2,
};

/** The instant of a venue's latest report at or before `now`, on its own cadence, to the minute. */
export function latestReportTime(venue: SimulatedVenue, now: Date): Date {
  const minutes = Math.floor(now.getTime() / MINUTE_MS);
  const sinceOffset = minutes - venue.offsetMinutes;
  const reportMinute = Math.floor(sinceOffset / venue.cadenceMinutes) * venue.cadenceMinutes + venue.offsetMinutes;
  return new Date(reportMinute * MINUTE_MS);
}

/** The band a venue reports at an instant: its type's day in Singapore, weekday or weekend, popularity, noise. */
export function bandAt(venue: SimulatedVenue, at: Date): Band {
  const instant = at.getTime();
  const weekend = weekdayOf(singaporeDayOf(instant)) >= 6;
  const expected =
    (WEEKDAY_PROFILE[venue.type][singaporeHourOf(instant)] ?? 0) * (weekend ? WEEKEND_FACTOR[venue.type] : 1) * venue.popularity;
  // Some days a place is simply busier; on top, each report has its own jitter. Both are pure functions of the inputs.
  const dayBias = (hashToUnit(venue.id, singaporeDayNumber(instant)) - 0.5) * 0.15;
  const jitter = (hashToUnit(venue.id, at.getTime()) - 0.5) * 0.25;
  const level = expected + (expected > 0.05 ? dayBias + jitter : 0);
  return Math.max(0, Math.min(3, Math.floor(level * 4))) as Band;
}
