import { fail, ok, type Result } from './result.js';
import { HOUR_MS, SINGAPORE_OFFSET_MS } from './singapore-calendar.js';

/** A time as a clock on the wall shows it: month 1–12, hour 0–23. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** No zone on Earth is further from UTC. */
const MAX_OFFSET_MS = 14 * HOUR_MS;

/** The reasons parseIsoInstant gives, each to follow the text it refused. */
export const NOT_ISO_8601 = 'is not ISO 8601';
export const NOT_A_REAL_TIME = 'is not a real time';
export const OFFSET_TOO_FAR = 'has an offset beyond ±14:00';

/** The instant a wall-clock time names at a fixed offset from UTC (Singapore's unless told); 31 February is refused, not rolled over. */
export function instantAt(clock: WallClock, offsetMs = SINGAPORE_OFFSET_MS): Result<Date> {
  const { year, month, day, hour, minute, second, millisecond } = clock;
  const asUtc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  const real =
    asUtc.getUTCFullYear() === year &&
    asUtc.getUTCMonth() === month - 1 &&
    asUtc.getUTCDate() === day &&
    asUtc.getUTCHours() === hour &&
    asUtc.getUTCMinutes() === minute &&
    asUtc.getUTCSeconds() === second;
  return real ? ok(new Date(asUtc.getTime() - offsetMs)) : fail(NOT_A_REAL_TIME);
}

export interface IsoInstant {
  readonly instant: Date;
  /** The text was a date alone, which stands for its first moment. */
  readonly dateOnly: boolean;
  /** The text had digits below the millisecond, which `instant` leaves out. */
  readonly finerThanMilliseconds: boolean;
}

// `2020-08-01`, or a date and time with optional seconds, up to nine fraction digits after `.` or
// `,` (Python's isoformat gives six), and an offset written Z, ±hh, ±hhmm or ±hh:mm. `T` may be
// a space, as RFC 3339 allows.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * ISO 8601 text as an instant, never consulting the machine's time zone: a date, or a date and
 * time without an offset, is Singapore time, which is how people in Singapore write times.
 */
export function parseIsoInstant(text: string): Result<IsoInstant> {
  const match = ISO_8601.exec(text);
  if (match === null) return fail(NOT_ISO_8601);
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const offsetMs = offsetOf(zone);
  if (Math.abs(offsetMs) > MAX_OFFSET_MS) return fail(OFFSET_TOO_FAR);
  const clock = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: Number(fraction.slice(0, 3).padEnd(3, '0')),
  };
  const instant = instantAt(clock, offsetMs);
  if (!instant.ok) return instant;
  return ok({ instant: instant.value, dateOnly: hour === undefined, finerThanMilliseconds: /[1-9]/.test(fraction.slice(3)) });
}

/** `Z`, `+08`, `+0800` or `+08:00` in milliseconds east of UTC; none means Singapore. */
function offsetOf(zone: string | undefined): number {
  if (zone === undefined) return SINGAPORE_OFFSET_MS;
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2)) * 60_000);
}
