import { parseIsoInstant } from '../../domain/iso-instant.js';
import { invalidParameter } from './problem.js';

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

/** ISO 8601 instant; a date, or a date-time without an offset, is Singapore time. */
export function parseInstant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseIsoInstant(value.trim());
  if (!parsed.ok) throw invalidParameter(name, `must be an ISO 8601 date or date-time (without an offset: Singapore time), got ${JSON.stringify(value)}`);
  // Readings are whole milliseconds: rounding a finer bound up to the next one keeps both
  // `from` (inclusive) and `to` (exclusive) selecting exactly the same readings.
  return new Date(parsed.value.instant.getTime() + (parsed.value.finerThanMilliseconds ? 1 : 0));
}
