import { DAY_MS, HOUR_MS, hourKey, isSingaporeMidnight, singaporeDayKey } from './keys.js';

/** Raw readings of one UTC hour within [from, to), as ISO strings. */
export interface RawSegment {
  readonly hour: string;
  readonly from: string;
  readonly to: string;
}

/** Which rollups and raw readings, together, cover [from, to) exactly once. */
export interface RangePlan {
  readonly raw: readonly RawSegment[];
  readonly hours: readonly string[];
  readonly days: readonly string[];
}

/**
 * Whole Singapore days come from day rollups, whole hours from hour rollups, and only the
 * ragged partial hours at either end from raw readings: the number of items read depends
 * on the range's shape and the venue count, never on how many readings it holds.
 */
export function planRange(from: Date, to: Date): RangePlan {
  const start = from.getTime();
  const end = to.getTime();
  if (start >= end) return { raw: [], hours: [], days: [] };
  const firstWholeHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
  const lastWholeHour = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (firstWholeHour > lastWholeHour) return { raw: [segment(start, end)], hours: [], days: [] };

  const raw: RawSegment[] = [];
  if (start < firstWholeHour) raw.push(segment(start, firstWholeHour));
  if (lastWholeHour < end) raw.push(segment(lastWholeHour, end));

  const hours: string[] = [];
  const days: string[] = [];
  for (let t = firstWholeHour; t < lastWholeHour; ) {
    if (isSingaporeMidnight(t) && t + DAY_MS <= lastWholeHour) {
      days.push(singaporeDayKey(t));
      t += DAY_MS;
    } else {
      hours.push(hourKey(t));
      t += HOUR_MS;
    }
  }
  return { raw, hours, days };
}

function segment(from: number, to: number): RawSegment {
  return { hour: hourKey(from), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
