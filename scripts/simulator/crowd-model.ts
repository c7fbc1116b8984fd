import { hashToUnit } from './random.js';
import type { SimulatedVenue } from './venues.js';

const MINUTE_MS = 60_000;
const SINGAPORE_OFFSET_MS = 8 * 60 * MINUTE_MS;

// How busy Singapore is by local hour, 0..1: quiet mornings, lunch peak, busiest evenings.
const BUSY_BY_HOUR = [0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.12, 0.22, 0.3, 0.38, 0.45, 0.55, 0.72, 0.7, 0.52, 0.48, 0.55, 0.7, 0.85, 0.88, 0.75, 0.5, 0.3, 0.12];

const TYPE_FACTOR: Readonly<Record<string, number>> = { MALL: 1.05, SUPERMARKET: 0.95, MARKET: 1.1, PARK: 0.8, SPORTS_CENTRE: 0.85 };

/** The instant of a venue's latest report at or before `now`, on its own cadence, to the minute. */
export function latestReportTime(venue: SimulatedVenue, now: Date): Date {
  const minutes = Math.floor(now.getTime() / MINUTE_MS);
  const sinceOffset = minutes - venue.offsetMinutes;
  const reportMinute = Math.floor(sinceOffset / venue.cadenceMinutes) * venue.cadenceMinutes + venue.offsetMinutes;
  return new Date(reportMinute * MINUTE_MS);
}

/** The band a venue reports at an instant: time of day, weekday or weekend, type, popularity, noise. */
export function bandAt(venue: SimulatedVenue, at: Date): 0 | 1 | 2 | 3 {
  const local = new Date(at.getTime() + SINGAPORE_OFFSET_MS);
  const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
  const busy = BUSY_BY_HOUR[local.getUTCHours()]! + (weekend ? 0.12 : 0);
  const noise = (hashToUnit(venue.id, at.getTime()) - 0.5) * 0.35;
  const level = busy * (TYPE_FACTOR[venue.type] ?? 1) * venue.popularity + noise;
  return Math.max(0, Math.min(3, Math.floor(level * 4))) as 0 | 1 | 2 | 3;
}
