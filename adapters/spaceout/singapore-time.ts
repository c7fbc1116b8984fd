import { fail, ok, type Result } from '../../domain/result.js';

/** Singapore is UTC+08:00 all year; the site writes local wall-clock time with no offset. */
const SINGAPORE_OFFSET_MS = 8 * 60 * 60 * 1000;

const MAX_OFFSET_MS = 14 * 60 * 60 * 1000;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// "01 August 2020, 12:48 PM"
const SITE_FORMAT = /^(\d{1,2}) ([A-Za-z]+) (\d{4}) ?,? ?(\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?$/;
// ISO 8601, offset optional: "2020-08-01T12:48", "2020-08-01T12:48:00.000+08:00", "2020-08-01T04:48:00Z"
const ISO_FORMAT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses upstream's `createdAt` to an instant, never consulting the machine's time zone. */
export function parseSingaporeTime(text: unknown): Result<Date> {
  if (typeof text !== 'string') return fail(`createdAt must be text, got ${JSON.stringify(text)}`);
  // Tolerate stray or doubled spaces ("1  August 2020,12:48PM" reads the same).
  const value = text.replace(/\s+/g, ' ').trim();
  return parseSiteFormat(value) ?? parseIso(value) ?? fail(`createdAt ${JSON.stringify(text)} is neither "01 August 2020, 12:48 PM" nor ISO 8601`);
}

function parseSiteFormat(value: string): Result<Date> | null {
  const match = SITE_FORMAT.exec(value);
  if (match === null) return null;
  const [, day, monthName, year, hour12, minute, second, meridiem] = match;
  const month = monthOf(monthName!);
  const hour = Number(hour12);
  if (month < 0 || hour < 1 || hour > 12) return fail(`createdAt ${JSON.stringify(value)} is not a real time`);
  // 12 AM is midnight and 12 PM is noon.
  const hour24 = (hour % 12) + (meridiem!.toUpperCase() === 'P' ? 12 : 0);
  return wallClock(Number(year), month, Number(day), hour24, Number(minute), Number(second ?? 0), 0, SINGAPORE_OFFSET_MS, value);
}

/** "August", "august", "Aug" and "Sept" all name the same month; two letters are too few. */
function monthOf(name: string): number {
  const lower = name.toLowerCase();
  return lower.length < 3 ? -1 : MONTHS.findIndex((month) => month.startsWith(lower));
}

function parseIso(value: string): Result<Date> | null {
  const match = ISO_FORMAT.exec(value);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetMs = offsetOf(zone);
  if (Math.abs(offsetMs) > MAX_OFFSET_MS) return fail(`createdAt ${JSON.stringify(value)} has an offset beyond ±14:00`);
  return wallClock(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0), millis, offsetMs, value);
}

function offsetOf(zone: string | undefined): number {
  if (zone === undefined) return SINGAPORE_OFFSET_MS;
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60 * 1000;
}

/** Builds the instant of a wall-clock time at a fixed offset, refusing dates like 31 February. */
function wallClock(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMs: number, original: string): Result<Date> {
  const asUtc = Date.UTC(year, month, day, hour, minute, second, millis);
  const check = new Date(asUtc);
  const real =
    check.getUTCFullYear() === year && check.getUTCMonth() === month && check.getUTCDate() === day &&
    check.getUTCHours() === hour && check.getUTCMinutes() === minute && check.getUTCSeconds() === second;
  if (!real) return fail(`createdAt ${JSON.stringify(original)} is not a real time`);
  return ok(new Date(asUtc - offsetMs));
}

/** The site's own text form of an instant, as Singapore wall-clock time. */
export function formatSingaporeTime(instant: Date): string {
  const local = new Date(instant.getTime() + SINGAPORE_OFFSET_MS);
  const hour = local.getUTCHours();
  const month = MONTHS[local.getUTCMonth()]!;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(local.getUTCDate())} ${month[0]!.toUpperCase()}${month.slice(1)} ${local.getUTCFullYear()}, ${pad(hour % 12 === 0 ? 12 : hour % 12)}:${pad(local.getUTCMinutes())} ${hour < 12 ? 'AM' : 'PM'}`;
}
