import { DAY_MS, HOUR_MS, isSingaporeMidnight, singaporeDayNumber } from '../../domain/singapore-calendar.js';
import { hourKey, MAX_BLOCK_LEVEL } from './keys.js';

/** Raw readings of one UTC hour within [from, to), as ISO strings. */
export interface RawSegment {
  readonly hour: string;
  readonly from: string;
  readonly to: string;
}

/** 2^level Singapore days starting at day number index * 2^level. */
export interface DayBlock {
  readonly level: number;
  readonly index: number;
}

/** Which rollups and raw readings, together, cover [from, to) exactly once. */
export interface RangePlan {
  readonly raw: readonly RawSegment[];
  readonly hours: readonly string[];
  readonly blocks: readonly DayBlock[];
}

/**
 * Whole Singapore days come from aligned blocks of 1 to 32 days, whole hours from the hourly
 * slots of the (at most two) days they belong to, and only the ragged partial hours at either
 * end from raw readings: about a dozen packed partitions, whatever the range's length or the
 * number of readings in it.
 */
export function planRange(from: Date, to: Date): RangePlan {
  const start = from.getTime();
  const end = to.getTime();
  if (start >= end) return { raw: [], hours: [], blocks: [] };
  const firstWholeHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
  const lastWholeHour = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (firstWholeHour > lastWholeHour) return { raw: [segment(start, end)], hours: [], blocks: [] };

  const raw: RawSegment[] = [];
  if (start < firstWholeHour) raw.push(segment(start, firstWholeHour));
  if (lastWholeHour < end) raw.push(segment(lastWholeHour, end));

  const hours: string[] = [];
  let firstDay: number | null = null;
  let dayCount = 0;
  for (let t = firstWholeHour; t < lastWholeHour;) {
    if (isSingaporeMidnight(t) && t + DAY_MS <= lastWholeHour) {
      firstDay ??= singaporeDayNumber(t);
      dayCount++;
      t += DAY_MS;
    } else {
      hours.push(hourKey(t));
      t += HOUR_MS;
    }
  }
  return { raw, hours, blocks: firstDay === null ? [] : dayBlocks(firstDay, firstDay + dayCount) };
}

/** The fewest aligned blocks that cover days [first, end) exactly: at most two per level. */
export function dayBlocks(first: number, end: number): DayBlock[] {
  const blocks: DayBlock[] = [];
  for (let day = first; day < end;) {
    let level = MAX_BLOCK_LEVEL;
    while (level > 0 && (day % 2 ** level !== 0 || day + 2 ** level > end)) level--;
    blocks.push({ level, index: day / 2 ** level });
    day += 2 ** level;
  }
  return blocks;
}

function segment(from: number, to: number): RawSegment {
  return { hour: hourKey(from), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
