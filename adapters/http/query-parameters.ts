import { invalidParameter } from './problem.js';

const SINGAPORE_OFFSET = '+08:00';
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

/**
 * The query string as single values, refusing names the route does not take (a typo such as
 * `form=` would otherwise be silently ignored) and names given twice.
 */
export function readQuery(querystring: string, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(querystring)) {
    if (!allowed.includes(name)) {
      throw invalidParameter(name, allowed.length === 0 ? 'this route takes no query parameters' : `unknown parameter; this route takes ${allowed.join(', ')}`);
    }
    if (values.has(name)) throw invalidParameter(name, 'given more than once');
    values.set(name, value);
  }
  return values;
}

export function parseLimit(value: string | undefined): number {
  return parseInteger('limit', value, { min: 1, max: MAX_LIMIT, default: DEFAULT_LIMIT });
}

export function parseInteger(name: string, value: string | undefined, range: { min: number; max: number; default: number }): number {
  if (value === undefined) return range.default;
  const integer = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(integer >= range.min && integer <= range.max)) throw invalidParameter(name, `must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`);
  return integer;
}

export function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParameter(name, `must be true or false, got ${JSON.stringify(value)}`);
}

export function parseText(name: string, value: string | undefined, maxLength = 200): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.length === 0) throw invalidParameter(name, 'must not be empty');
  if (text.length > maxLength) throw invalidParameter(name, `must be at most ${maxLength} characters`);
  return text;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Seconds may carry up to nine fraction digits (Python's isoformat gives six); the offset
// may be written Z, ±hh, ±hhmm or ±hh:mm.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO 8601 instant; a date, or a date-time without an offset, is Singapore time. */
export function parseInstant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let iso: string | null = null;
  let submillisecond = 0;
  if (DATE.test(text)) iso = `${text}T00:00:00${SINGAPORE_OFFSET}`;
  const match = DATE_TIME.exec(text);
  if (match !== null) {
    const [, date, hoursMinutes, seconds = '00', fraction = '', zone] = match;
    iso = `${date}T${hoursMinutes}:${seconds}.${fraction.slice(0, 3).padEnd(3, '0')}${offsetOf(zone)}`;
    // Readings are whole milliseconds: rounding a finer bound up to the next one keeps
    // both `from` (inclusive) and `to` (exclusive) selecting exactly the same readings.
    if (/[1-9]/.test(fraction.slice(3))) submillisecond = 1;
  }
  const instant = iso === null ? null : new Date(iso);
  if (instant === null || Number.isNaN(instant.getTime()) || !sameCalendarDate(text, instant, iso!)) {
    throw invalidParameter(name, `must be an ISO 8601 date or date-time (without an offset: Singapore time), got ${JSON.stringify(value)}`);
  }
  return new Date(instant.getTime() + submillisecond);
}

/** `Z`, `+08`, `+0800` or `+08:00` as `Z` or `±hh:mm`; none means Singapore. */
function offsetOf(zone: string | undefined): string {
  if (zone === undefined) return SINGAPORE_OFFSET;
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2)}`;
}

/** Date parsing rolls 2020-02-30 over to March; refuse it instead. */
function sameCalendarDate(text: string, instant: Date, iso: string): boolean {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offsetMinutes = zone === null ? 0 : (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  return new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10) === text.slice(0, 10);
}
